variable "stream_arn" {
  type = string
}

# No default: only a caller can apply this module, so it is checked through its callers.
variable "property_groups" {
  type = map(map(string))
}

locals {
  managed_property_groups = {
    source = {
      "stream.arn" = var.stream_arn
    }
    deadletter = {
      path = "s3://orders-bucket/dead-letters"
    }
  }
  property_groups = {
    for group in setunion(keys(var.property_groups), keys(local.managed_property_groups)) :
    group => merge(lookup(var.property_groups, group, {}), lookup(local.managed_property_groups, group, {}))
  }
}

output "property_groups" {
  value = local.property_groups
}
