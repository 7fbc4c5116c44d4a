# Uses every construct the check understands; TerraformCheckTest expects no finding here.

variable "stream_arn" {
  type = string
}

variable "opensearch_endpoint" {
  type = string
}

# Property groups from a JSON file (object form), the file job/run-local --properties also reads.
module "searchsync" {
  source              = "./app"
  name                = "orders"
  stream_arn          = var.stream_arn
  opensearch_endpoint = var.opensearch_endpoint
  subnet_ids          = ["subnet-0123456789abcdef0"]
  property_groups     = jsondecode(file("${path.module}/orders.json"))
}

# Property groups as an object literal; numbers become their text.
module "copy" {
  source              = "./app"
  count               = 1
  name                = "orders-copy-${count.index}"
  runtime             = "FLINK-1_19"
  stream_arn          = var.stream_arn
  opensearch_endpoint = var.opensearch_endpoint
  property_groups = {
    index = {
      name         = "orders-copy"
      "max.fields" = 2000
    }
    sync = {
      "state.ttl.hours" = 48
    }
  }
}

# Not a local source: nothing about it can be checked here.
module "label" {
  source  = "cloudposse/label/null"
  version = "0.25.0"
  name    = "orders"
}

output "application_arns" {
  value = concat([module.searchsync.application_arn], module.copy[*].application_arn)
}

output "label" {
  value = module.label.id
}
