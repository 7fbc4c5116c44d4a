output "application_name" {
  description = "Name of the MSF application (for `aws kinesisanalyticsv2` commands)."
  value       = aws_kinesisanalyticsv2_application.this.name
}

output "application_arn" {
  description = "ARN of the MSF application."
  value       = aws_kinesisanalyticsv2_application.this.arn
}

output "application_version" {
  description = "Version id of the application; every update raises it (rollbacks name the version to return to)."
  value       = aws_kinesisanalyticsv2_application.this.version_id
}

output "role_arn" {
  description = "ARN of the application's IAM role: map it in the OpenSearch domain's access policy or fine-grained access control, or in the collection's data access policy."
  value       = aws_iam_role.application.arn
}

output "bucket_name" {
  description = "Bucket holding the jars, the dead letters and the redrive folder."
  value       = aws_s3_bucket.this.bucket
}

output "jar_key" {
  description = "S3 key of the jar the application runs."
  value       = aws_s3_object.jar.key
}

output "dead_letter_uri" {
  description = "Where dead letters land (deadletter/path)."
  value       = local.managed_property_groups.deadletter["path"]
}

output "redrive_uri" {
  description = "Copy dead letters here to redrive them (deadletter/redrive.path)."
  value       = local.managed_property_groups.deadletter["redrive.path"]
}

output "log_group_name" {
  description = "CloudWatch log group of the application."
  value       = aws_cloudwatch_log_group.this.name
}

output "alarm_arns" {
  description = "ARNs of the alarms, by name: downtime, full_restarts, failed_checkpoints, source_lag, dead_letters."
  value = {
    downtime           = aws_cloudwatch_metric_alarm.downtime.arn
    full_restarts      = aws_cloudwatch_metric_alarm.full_restarts.arn
    failed_checkpoints = aws_cloudwatch_metric_alarm.failed_checkpoints.arn
    source_lag         = aws_cloudwatch_metric_alarm.source_lag.arn
    dead_letters       = aws_cloudwatch_metric_alarm.dead_letters.arn
  }
}

output "alarm_topic_arn" {
  description = "SNS topic the alarms notify, or null."
  value       = local.alarm_topic_arn
}

output "property_groups" {
  description = "The property groups the application runs with (the caller's plus the module's), in the shape `job/run-local --properties` reads."
  value       = local.property_groups
}

output "cloudwatch_logs_role_arn" {
  description = "ARN of the role CloudWatch Logs assumes to deliver to the stream (cloudwatch_logs input only; null otherwise)."
  value       = one(aws_iam_role.logs[*].arn)
}

output "subscribed_log_groups" {
  description = "The log groups with a subscription filter into the stream (cloudwatch_logs input only; empty otherwise)."
  value       = sort(keys(aws_cloudwatch_log_subscription_filter.logs))
}
