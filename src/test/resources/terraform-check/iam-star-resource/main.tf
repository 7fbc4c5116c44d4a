data "aws_iam_policy_document" "application" {
  # DescribeTable can be scoped to the table; "*" is not needed here.
  statement {
    actions   = ["dynamodb:DescribeTable"]
    resources = ["*"]
  }
}
