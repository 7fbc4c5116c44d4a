variable "name" {
  type = string
}

variable "stream_arn" {
  type = string
}

variable "opensearch_endpoint" {
  type = string
}

variable "subnet_ids" {
  type    = list(string)
  default = []
}

variable "runtime" {
  type    = string
  default = "FLINK-1_19"
}

variable "property_groups" {
  type    = map(map(string))
  default = {}
}
