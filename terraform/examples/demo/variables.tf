variable "region" {
  description = "AWS region for the demo table, domain and application."
  type        = string
  default     = "eu-west-1"
}

variable "name" {
  description = "Name of the application; also names the table's index and prefixes every resource."
  type        = string
  default     = "searchsync-demo"
}

variable "jar_path" {
  description = "The shaded jar. Default: the one `mvn -DskipTests package` leaves in target/."
  type        = string
  default     = null
}

variable "alarm_emails" {
  description = "E-mail addresses to notify when an alarm fires (each gets a confirmation mail)."
  type        = list(string)
  default     = []
}
