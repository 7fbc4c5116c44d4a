variable "stream_arn" {
  type = string
}

# Nothing gives opensearch/endpoint.
module "app" {
  source     = "./child"
  stream_arn = var.stream_arn
  property_groups = {
    index = {
      name = "orders"
    }
  }
}
