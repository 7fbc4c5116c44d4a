# jar_path has no default in the child, and is not passed.
module "app" {
  source = "./child"
  name   = "searchsync"
}
