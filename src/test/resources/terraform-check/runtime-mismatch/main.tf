variable "role_arn" {
  type = string
}

# pom.xml builds against Flink 1.19.
resource "aws_kinesisanalyticsv2_application" "this" {
  name                   = "searchsync"
  runtime_environment    = "FLINK-1_18"
  service_execution_role = var.role_arn
}
