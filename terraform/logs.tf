resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/kinesis-analytics/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn
  tags              = var.tags
}

# MSF writes into an existing stream only; it does not create one.
resource "aws_cloudwatch_log_stream" "this" {
  name           = "application"
  log_group_name = aws_cloudwatch_log_group.this.name
}
