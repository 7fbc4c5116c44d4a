output "application_arn" {
  value = aws_kinesisanalyticsv2_application.this.arn
}
