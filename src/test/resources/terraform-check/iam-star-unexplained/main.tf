data "aws_iam_policy_document" "application" {
  statement {
    sid = "PutMetrics"

    actions = ["cloudwatch:PutMetricData"]

    resources = ["*"]
  }
}
