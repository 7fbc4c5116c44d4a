data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region

  # The one input (variables.tf allows exactly one): its kind is the job's source/type and picks the role's permissions.
  source_type = var.cloudwatch_logs != null ? "cloudwatch-logs" : (var.kinesis_stream_arn != null ? "kinesis" : "dynamodb-streams")
  stream_arn  = var.cloudwatch_logs != null ? var.cloudwatch_logs.stream_arn : coalesce(var.kinesis_stream_arn, var.dynamodb_stream_arn)
  # For descriptions: what the application reads, and what is lost when it falls too far behind.
  input_label     = var.cloudwatch_logs != null ? "Kinesis data stream of CloudWatch Logs" : (var.kinesis_stream_arn != null ? "Kinesis data stream" : "DynamoDB stream")
  input_retention = var.dynamodb_stream_arn == null ? "the stream's retention period" : "24 h"

  # arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label> -> the table's ARN, for DescribeTable.
  table_arn = var.dynamodb_stream_arn == null ? null : regex("^(.*:table/[^/]+)/stream/", var.dynamodb_stream_arn)[0]
  # arn:aws:kinesis:<region>:<account>:stream/<name> -> its region: Kinesis calls KMS from there.
  kinesis_region = var.kinesis_stream_arn == null ? null : split(":", var.kinesis_stream_arn)[3]
  # The CloudWatch Logs input's stream: its region (for KMS, as above) and account (subscriptions deliver within one).
  logs_stream_region  = var.cloudwatch_logs == null ? null : split(":", var.cloudwatch_logs.stream_arn)[3]
  logs_stream_account = var.cloudwatch_logs == null ? null : split(":", var.cloudwatch_logs.stream_arn)[4]
  logs_kms_key_arn    = var.cloudwatch_logs == null ? null : var.cloudwatch_logs.kms_key_arn

  opensearch_arn     = coalesce(var.opensearch.domain_arn, var.opensearch.collection_arn)
  opensearch_service = var.opensearch.domain_arn != null ? "es" : "aoss"
  opensearch_region  = split(":", local.opensearch_arn)[3]

  # The keys the module owns: each must agree with a resource or permission below, so callers cannot set them
  # (see var.property_groups). A test in the job's build checks every key here against the job's options.
  managed_property_groups = {
    source = {
      "type"       = local.source_type
      "stream.arn" = local.stream_arn
    }
    opensearch = {
      "endpoint"    = trimsuffix(var.opensearch.endpoint, "/")
      "auth.type"   = "AWS_SIGV4"
      "aws.service" = local.opensearch_service
      "aws.region"  = local.opensearch_region
    }
    deadletter = {
      "path"         = "s3://${aws_s3_bucket.this.bucket}/${var.dead_letter_prefix}"
      "redrive.path" = "s3://${aws_s3_bucket.this.bucket}/${var.redrive_prefix}"
    }
  }

  # What the application receives: the caller's groups with the managed keys added.
  property_groups = {
    for group in setunion(keys(var.property_groups), keys(local.managed_property_groups)) :
    group => merge(try(var.property_groups[group], {}), try(local.managed_property_groups[group], {}))
  }

  alarm_topic_arn = var.alarm_topic_arn != null ? var.alarm_topic_arn : (var.create_alarm_topic ? aws_sns_topic.alarms[0].arn : null)
  alarm_actions   = local.alarm_topic_arn == null ? [] : [local.alarm_topic_arn]
}
