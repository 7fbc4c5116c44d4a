# The child has no variable "bucket".
module "app" {
  source = "./child"
  name   = "searchsync"
  bucket = "searchsync-jars"
}
