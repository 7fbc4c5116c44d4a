# A value is missing after "=": HCL cannot parse this file.
variable "name" {
  type = string
}

resource "aws_s3_bucket" "this" {
  bucket = var.name
  tags = {
    Name =
  }
}
