variable "region" {
  description = "AWS region of the stream, the domain and the application."
  type        = string
}

variable "name" {
  description = "Name of the application."
  type        = string
  default     = "searchsync-events"
}

variable "stream_name" {
  description = "Name of the Kinesis data stream created for the events (and of its KMS key alias)."
  type        = string
  default     = "searchsync-events"
}

variable "retention_hours" {
  description = "Hours the stream keeps records: how long the application may be stopped or behind before it loses events (24 to 8760)."
  type        = number
  default     = 48
}

variable "domain_name" {
  description = "Existing Amazon OpenSearch Service domain to sync into."
  type        = string
}

variable "index_name" {
  description = "OpenSearch index the events' documents are written to."
  type        = string
  default     = "events"
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
