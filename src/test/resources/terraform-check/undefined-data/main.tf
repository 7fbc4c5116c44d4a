data "aws_caller_identity" "current" {}

# data.aws_region.current is never declared.
resource "aws_s3_bucket" "this" {
  bucket = "searchsync-${data.aws_caller_identity.current.account_id}-${data.aws_region.current.region}"
}
