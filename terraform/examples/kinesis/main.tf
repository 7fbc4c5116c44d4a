# searchsync from a Kinesis data stream of JSON events into a domain that already exists. The stream is created
# here, encrypted with its own KMS key; the domain's access policy (or its fine-grained access control role
# mapping) must let module.searchsync.role_arn use the index: see docs/deploy.md.

data "aws_opensearch_domain" "target" {
  domain_name = var.domain_name
}

# The key's default policy lets this account's IAM policies grant its use: the module's role gets kms:Decrypt on
# it, through Kinesis and for this stream only. Producers need kms:GenerateDataKey on it as well.
resource "aws_kms_key" "events" {
  description             = "Server-side encryption of the Kinesis stream ${var.stream_name}"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_kms_alias" "events" {
  name          = "alias/${var.stream_name}"
  target_key_id = aws_kms_key.events.key_id
}

# On demand: Kinesis adds shards as the write rate grows (the job follows the splits). For a steady rate,
# PROVISIONED with shard_count = 2 costs less; each shard allows 1 MB/s or 1,000 records/s of writes.
resource "aws_kinesis_stream" "events" {
  name             = var.stream_name
  retention_period = var.retention_hours
  encryption_type  = "KMS"
  kms_key_id       = aws_kms_key.events.arn

  stream_mode_details {
    stream_mode = "ON_DEMAND"
  }
}

module "searchsync" {
  source = "../.."

  name                = var.name
  jar_path            = var.jar_path
  kinesis_stream_arn  = aws_kinesis_stream.events.arn
  kinesis_kms_key_arn = aws_kms_key.events.arn

  opensearch = {
    # For a domain in a VPC this is its VPC endpoint: set var.vpc so that the application runs there too.
    endpoint   = "https://${data.aws_opensearch_domain.target.endpoint}"
    domain_arn = data.aws_opensearch_domain.target.arn
  }

  # Each record is one JSON event about one document; the `events` keys are JSON pointers into it
  # (docs/configuration.md). The module sets source/type = kinesis and source/stream.arn.
  property_groups = {
    source = {
      "start.position" = "TRIM_HORIZON"
    }
    events = {
      "id.field"        = "/id"
      "version.field"   = "/version"
      "timestamp.field" = "/updatedAt"
      "delete.field"    = "/op"
      "delete.values"   = "delete"
    }
    index = {
      "name" = var.index_name
    }
  }

  vpc                         = var.vpc
  alarm_topic_arn             = var.alarm_topic_arn
  dead_letter_expiration_days = 30
  parallelism                 = 2
  parallelism_per_kpu         = 2
}
