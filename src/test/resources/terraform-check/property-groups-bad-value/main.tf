variable "stream_arn" {
  type = string
}

module "app" {
  source          = "./child"
  stream_arn      = var.stream_arn
  property_groups = jsondecode(file("${path.module}/orders.json"))
}
