data "aws_region" "current" {}

data "aws_partition" "current" {}

data "aws_caller_identity" "current" {}

locals {
  region = data.aws_region.current.region

  managed_property_groups = {
    source = {
      "stream.arn" = var.stream_arn
    }
    opensearch = {
      endpoint      = trimsuffix(var.opensearch_endpoint, "/")
      "auth.type"   = "AWS_SIGV4"
      "aws.service" = "es"
      "aws.region"  = local.region
    }
    deadletter = {
      path = "s3://${aws_s3_bucket.this.bucket}/dead-letters"
    }
  }

  property_groups = {
    for group in setunion(keys(var.property_groups), keys(local.managed_property_groups)) :
    group => merge(lookup(var.property_groups, group, {}), lookup(local.managed_property_groups, group, {}))
  }

  # $${ is an escape, not an interpolation; %{ } is a template directive.
  description = "$${not.a.reference} %{if var.name != ""}for ${var.name}%{endif}"

  subnet_arns = [
    # one ARN per subnet; a "quote in a comment must not confuse the scan
    for id in var.subnet_ids : "arn:${data.aws_partition.current.partition}:ec2:${local.region}:${data.aws_caller_identity.current.account_id}:subnet/${id}"
  ]
}

resource "aws_s3_bucket" "this" {
  bucket_prefix = "${var.name}-"
}

resource "aws_iam_role" "this" {
  name               = "${var.name}-msf"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_kinesisanalyticsv2_application" "this" {
  name                   = var.name
  description            = local.description
  runtime_environment    = var.runtime
  service_execution_role = aws_iam_role.this.arn

  application_configuration {
    environment_properties {
      dynamic "property_group" {
        for_each = local.property_groups
        iterator = group

        content {
          property_group_id = group.key
          property_map      = group.value
        }
      }
    }

    dynamic "vpc_configuration" {
      for_each = length(var.subnet_ids) == 0 ? [] : [var.subnet_ids]

      content {
        subnet_ids         = vpc_configuration.value
        security_group_ids = []
      }
    }
  }
}
