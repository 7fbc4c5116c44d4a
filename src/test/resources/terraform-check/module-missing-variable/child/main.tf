variable "name" {
  type = string
}

variable "jar_path" {
  type = string
}

output "jar" {
  value = "${var.name}: ${var.jar_path}"
}
