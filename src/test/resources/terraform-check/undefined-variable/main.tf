variable "name" {
  type = string
}

# var.suffix is never declared.
resource "aws_s3_bucket" "this" {
  bucket = "${var.name}-${var.suffix}"
}
