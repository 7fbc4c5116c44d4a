# A complete demo: a DynamoDB table with a stream, a small OpenSearch domain, and searchsync between them.
# Everything here is deleted by `terraform destroy` (dead letters included: force_destroy_bucket).

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  jar_path = coalesce(var.jar_path, "${path.module}/../../../target/searchsync-0.1.0-SNAPSHOT.jar")
}

# The same table the local demo uses (job/README.md): partition key customer, sort key order.
resource "aws_dynamodb_table" "orders" {
  name             = "demo-orders"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "customer"
  range_key        = "order"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  attribute {
    name = "customer"
    type = "S"
  }

  attribute {
    name = "order"
    type = "S"
  }

  server_side_encryption {
    enabled = true
  }
}

# One small node: enough for the demo, not for production (see docs/deploy.md for sizing).
resource "aws_opensearch_domain" "search" {
  domain_name    = "searchsync-demo"
  engine_version = "OpenSearch_2.19"

  cluster_config {
    instance_type  = "t3.small.search"
    instance_count = 1
  }

  ebs_options {
    ebs_enabled = true
    volume_type = "gp3"
    volume_size = 10
  }

  encrypt_at_rest {
    enabled = true
  }

  node_to_node_encryption {
    enabled = true
  }

  domain_endpoint_options {
    enforce_https       = true
    tls_security_policy = "Policy-Min-TLS-1-2-2019-07"
  }
}

# Only the application's role, and this account's administrators, may use the domain.
data "aws_iam_policy_document" "domain_access" {
  statement {
    sid       = "SearchsyncWrites"
    actions   = ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut"]
    resources = ["${aws_opensearch_domain.search.arn}/*"]

    principals {
      type        = "AWS"
      identifiers = [module.searchsync.role_arn]
    }
  }

  statement {
    sid       = "AccountSearches"
    actions   = ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost"]
    resources = ["${aws_opensearch_domain.search.arn}/*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}

resource "aws_opensearch_domain_policy" "search" {
  domain_name     = aws_opensearch_domain.search.domain_name
  access_policies = data.aws_iam_policy_document.domain_access.json
}

module "searchsync" {
  source = "../.."

  name                = var.name
  jar_path            = local.jar_path
  dynamodb_stream_arn = aws_dynamodb_table.orders.stream_arn

  opensearch = {
    endpoint   = "https://${aws_opensearch_domain.search.endpoint}"
    domain_arn = aws_opensearch_domain.search.arn
  }

  # The job's configuration: the same keys as a local properties file (docs/configuration.md).
  property_groups = {
    source = {
      "start.position" = "TRIM_HORIZON"
    }
    index = {
      "name"    = "demo-orders"
      "mapping" = "demo-orders.json" # the template packed in the jar from job/index-templates/
    }
    opensearch = {
      "bulk.max.actions"       = "2000"
      "bulk.flush.interval.ms" = "200"
    }
  }

  parallelism          = 2
  parallelism_per_kpu  = 2
  force_destroy_bucket = true
  create_alarm_topic   = length(var.alarm_emails) > 0
  alarm_emails         = var.alarm_emails
}
