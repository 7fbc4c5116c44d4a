module "app" {
  source = "./child"
  name   = "searchsync"
}

# The child has no output "role_arn".
output "role_arn" {
  value = module.app.role_arn
}
