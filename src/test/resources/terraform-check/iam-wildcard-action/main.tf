data "aws_iam_policy_document" "application" {
  statement {
    sid       = "ReadJars"
    actions   = ["s3:Get*"]
    resources = ["arn:aws:s3:::searchsync-jars/*"]
  }
}
