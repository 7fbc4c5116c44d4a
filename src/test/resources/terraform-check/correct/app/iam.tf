data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["kinesisanalytics.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "application" {
  statement {
    sid       = "ReadStream"
    actions   = ["dynamodb:DescribeStream", "dynamodb:GetShardIterator", "dynamodb:GetRecords"]
    resources = [var.stream_arn]
  }

  statement {
    sid       = "ListStreams"
    actions   = ["dynamodb:ListStreams"]
    resources = ["*"] # AWS requires "*": dynamodb:ListStreams has no resource type.
  }

  # AWS requires "*": cloudwatch:PutMetricData has no resource type.
  statement {
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = length(var.subnet_ids) == 0 ? [] : [local.subnet_arns]

    content {
      sid       = "CreateNetworkInterfaces"
      actions   = ["ec2:CreateNetworkInterface"]
      resources = statement.value
    }
  }

  dynamic "statement" {
    for_each = { for name, prefix in { letters = "dead-letters" } : name => prefix }
    iterator = folder

    content {
      actions   = ["s3:PutObject", "s3:GetObject"]
      resources = ["${aws_s3_bucket.this.arn}/${folder.value}/*"]
    }
  }
}

resource "aws_iam_role_policy" "this" {
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.application.json
}
