locals {
  prefix = "searchsync"
}

# local.environment is defined in no locals block.
resource "aws_s3_bucket" "this" {
  bucket = "${local.prefix}-${local.environment}"
}
