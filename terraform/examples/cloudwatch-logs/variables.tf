variable "region" {
  description = "AWS region of the log group, the stream, the domain and the application."
  type        = string
}

variable "name" {
  description = "Name of the application (and of the subscription filter on the log group)."
  type        = string
  default     = "searchsync-logs"
}

variable "log_group_name" {
  description = "Name of the log group created here and subscribed."
  type        = string
  default     = "/searchsync-example/app"
}

variable "filter_pattern" {
  description = "CloudWatch Logs filter pattern for the events to index; \"\" for every event."
  type        = string
  default     = ""
}

variable "stream_name" {
  description = "Name of the Kinesis data stream created for the log events."
  type        = string
  default     = "searchsync-logs"
}

variable "retention_hours" {
  description = "Hours the stream keeps records: how long the application may be stopped or behind before it loses log events (24 to 8760)."
  type        = number
  default     = 48
}

variable "domain_name" {
  description = "Existing Amazon OpenSearch Service domain to sync into."
  type        = string
}

variable "jar_path" {
  description = "The shaded jar (target/searchsync-<version>.jar)."
  type        = string
}

variable "alarm_topic_arn" {
  description = "Existing SNS topic for the alarms; null for none."
  type        = string
  default     = null
}

variable "vpc" {
  description = "Subnets and security groups when the domain lives in a VPC; null otherwise."
  type = object({
    subnet_ids         = list(string)
    security_group_ids = list(string)
  })
  default = null
}
