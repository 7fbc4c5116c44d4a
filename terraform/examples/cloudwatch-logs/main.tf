# searchsync from CloudWatch Logs into a domain that already exists: a log group (stand-in for your application's),
# the Kinesis data stream its subscription filter delivers to, and the module, which subscribes the log group, gives
# CloudWatch Logs a role to write to the stream and the application a role to read it. The domain's access policy
# (or its fine-grained access control role mapping) must let module.searchsync.role_arn use the indices: see
# docs/deploy.md.

data "aws_opensearch_domain" "target" {
  domain_name = var.domain_name
}

# Your applications' log groups usually exist already: name them in cloudwatch_logs.log_group_names instead.
resource "aws_cloudwatch_log_group" "app" {
  name              = var.log_group_name
  retention_in_days = 14
}

# On demand: Kinesis adds shards as the log volume grows (the job follows the splits). Encrypted with the AWS
# managed key, which needs no permission for either role; for a customer managed key see examples/kinesis and set
# cloudwatch_logs.kms_key_arn.
resource "aws_kinesis_stream" "logs" {
  name             = var.stream_name
  retention_period = var.retention_hours
  encryption_type  = "KMS"
  kms_key_id       = "alias/aws/kinesis"

  stream_mode_details {
    stream_mode = "ON_DEMAND"
  }
}

module "searchsync" {
  source = "../.."

  name     = var.name
  jar_path = var.jar_path

  # The module creates the subscription filter after the stream (its ARN) and the delivery role's permission.
  cloudwatch_logs = {
    log_group_names = [aws_cloudwatch_log_group.app.name]
    stream_arn      = aws_kinesis_stream.logs.arn
    filter_pattern  = var.filter_pattern
  }

  opensearch = {
    # For a domain in a VPC this is its VPC endpoint: set var.vpc so that the application runs there too.
    endpoint   = "https://${data.aws_opensearch_domain.target.endpoint}"
    domain_arn = data.aws_opensearch_domain.target.arn
  }

  # The module sets source/type = cloudwatch-logs and source/stream.arn. TRIM_HORIZON: events delivered before
  # the application first starts are indexed too.
  property_groups = {
    source = {
      "start.position" = "TRIM_HORIZON"
    }
  }

  vpc                         = var.vpc
  alarm_topic_arn             = var.alarm_topic_arn
  dead_letter_expiration_days = 30
  parallelism                 = 2
  parallelism_per_kpu         = 2
}
