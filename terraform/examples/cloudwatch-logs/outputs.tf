output "log_group_name" {
  description = "The subscribed log group: events written to it become documents (put some with `aws logs put-log-events`)."
  value       = aws_cloudwatch_log_group.app.name
}

output "stream_name" {
  description = "The stream the subscription filter delivers to and the application reads."
  value       = aws_kinesis_stream.logs.name
}

output "application_name" {
  description = "The MSF application."
  value       = module.searchsync.application_name
}

output "role_arn" {
  description = "Grant this role access in the domain's access policy or fine-grained access control."
  value       = module.searchsync.role_arn
}

output "cloudwatch_logs_role_arn" {
  description = "The role CloudWatch Logs delivers to the stream with."
  value       = module.searchsync.cloudwatch_logs_role_arn
}

output "dead_letter_uri" {
  description = "Where dead letters land."
  value       = module.searchsync.dead_letter_uri
}

output "alarm_arns" {
  description = "The application's alarms."
  value       = module.searchsync.alarm_arns
}
