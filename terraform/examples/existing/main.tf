# searchsync between a table and a domain that already exist. The domain's access policy (or its fine-grained
# access control role mapping) must let module.searchsync.role_arn use the index: see docs/deploy.md.

data "aws_dynamodb_table" "source" {
  name = var.table_name
}

data "aws_opensearch_domain" "target" {
  domain_name = var.domain_name
}

module "searchsync" {
  source = "../.."

  name                = var.name
  jar_path            = var.jar_path
  dynamodb_stream_arn = data.aws_dynamodb_table.source.stream_arn

  opensearch = {
    # For a domain in a VPC this is its VPC endpoint: set var.vpc so that the application runs there too.
    endpoint   = "https://${data.aws_opensearch_domain.target.endpoint}"
    domain_arn = data.aws_opensearch_domain.target.arn
  }

  # The same file works locally: ./job/run-local --properties terraform/examples/existing/properties.json
  # (after adding the keys this module sets for you: source/stream.arn and opensearch/endpoint).
  property_groups = jsondecode(file("${path.module}/properties.json"))

  vpc                         = var.vpc
  alarm_topic_arn             = var.alarm_topic_arn
  dead_letter_expiration_days = 30
  parallelism                 = 4
  parallelism_per_kpu         = 2
}
