# There is no module "application" here.
output "role_arn" {
  value = module.application.role_arn
}
