variable "region" {
  description = "AWS region of the table, the domain and the application."
  type        = string
}

variable "name" {
  description = "Name of the application."
  type        = string
  default     = "searchsync"
}

variable "table_name" {
  description = "Existing DynamoDB table to sync. Its stream must be enabled (NEW_AND_OLD_IMAGES or NEW_IMAGE)."
  type        = string
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
