output "table_name" {
  description = "The demo table: write items to it and watch them appear in the index."
  value       = aws_dynamodb_table.orders.name
}

output "opensearch_endpoint" {
  description = "The demo domain's endpoint."
  value       = "https://${aws_opensearch_domain.search.endpoint}"
}

output "application_name" {
  description = "The MSF application."
  value       = module.searchsync.application_name
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
