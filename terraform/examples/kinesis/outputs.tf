output "stream_name" {
  description = "The stream: producers write JSON events to it (they need kinesis:PutRecord(s) and kms:GenerateDataKey on the key)."
  value       = aws_kinesis_stream.events.name
}

output "kms_key_arn" {
  description = "The stream's KMS key."
  value       = aws_kms_key.events.arn
}

output "application_name" {
  description = "The MSF application."
  value       = module.searchsync.application_name
}

output "role_arn" {
  description = "Grant this role access in the domain's access policy or fine-grained access control."
  value       = module.searchsync.role_arn
}

output "dead_letter_uri" {
  description = "Where dead letters land."
  value       = module.searchsync.dead_letter_uri
}

output "redrive_uri" {
  description = "Copy dead letters here to redrive them."
  value       = module.searchsync.redrive_uri
}

output "alarm_arns" {
  description = "The application's alarms."
  value       = module.searchsync.alarm_arns
}
