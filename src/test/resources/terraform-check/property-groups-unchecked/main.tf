variable "stream_arn" {
  type = string
}

variable "extra_property_groups" {
  type    = map(map(string))
  default = {}
}

locals {
  base = {
    opensearch = {
      endpoint = "https://search-orders.eu-west-1.es.amazonaws.com"
    }
  }
}

# Computed: the check cannot see which groups and keys this gives.
module "app" {
  source          = "./child"
  stream_arn      = var.stream_arn
  property_groups = merge(local.base, var.extra_property_groups)
}
