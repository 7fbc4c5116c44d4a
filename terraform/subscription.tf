# The CloudWatch Logs input (var.cloudwatch_logs): a subscription filter on each named log group delivers its events
# to the Kinesis data stream the job reads, with a role of its own that CloudWatch Logs assumes to write there.

# As AWS documents for subscriptions to a Kinesis data stream: the regional CloudWatch Logs principal, and only
# on behalf of this account's log resources in this region (confused-deputy protection).
data "aws_iam_policy_document" "logs_assume_role" {
  count = var.cloudwatch_logs == null ? 0 : 1

  statement {
    sid     = "CloudWatchLogsAssumesRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["logs.${local.region}.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "StringLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:*"]
    }
  }
}

resource "aws_iam_role" "logs" {
  count = var.cloudwatch_logs == null ? 0 : 1

  name               = "${var.name}-cwl"
  assume_role_policy = data.aws_iam_policy_document.logs_assume_role[0].json
  tags               = var.tags
}

# CloudWatch Logs delivers with PutRecord, one gzip batch of log events per record: nothing else, on this stream only.
data "aws_iam_policy_document" "logs" {
  count = var.cloudwatch_logs == null ? 0 : 1

  statement {
    sid       = "PutLogRecords"
    actions   = ["kinesis:PutRecord"]
    resources = [var.cloudwatch_logs.stream_arn]
  }

  # A stream with a customer managed key: Kinesis encrypts each record with a data key it asks KMS for with the
  # writer's permission, passing the stream ARN as encryption context; so only through Kinesis, for this stream.
  dynamic "statement" {
    for_each = local.logs_kms_key_arn == null ? [] : [local.logs_kms_key_arn]

    content {
      sid       = "EncryptLogRecords"
      actions   = ["kms:GenerateDataKey"]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["kinesis.${local.logs_stream_region}.amazonaws.com"]
      }

      condition {
        test     = "StringEquals"
        variable = "kms:EncryptionContext:aws:kinesis:arn"
        values   = [var.cloudwatch_logs.stream_arn]
      }
    }
  }
}

resource "aws_iam_role_policy" "logs" {
  count = var.cloudwatch_logs == null ? 0 : 1

  name   = "deliver-to-stream"
  role   = aws_iam_role.logs[0].id
  policy = data.aws_iam_policy_document.logs[0].json
}

# A log group takes at most two subscription filters; this one is named after the application.
resource "aws_cloudwatch_log_subscription_filter" "logs" {
  for_each = var.cloudwatch_logs == null ? toset([]) : toset(var.cloudwatch_logs.log_group_names)

  name            = var.name
  log_group_name  = each.value
  filter_pattern  = var.cloudwatch_logs.filter_pattern
  destination_arn = var.cloudwatch_logs.stream_arn
  distribution    = var.cloudwatch_logs.distribution
  role_arn        = aws_iam_role.logs[0].arn

  # PutSubscriptionFilter puts a test record into the stream with the role: the role's permission must exist
  # first, not only the role that role_arn already waits for.
  depends_on = [aws_iam_role_policy.logs]

  lifecycle {
    precondition {
      condition     = local.logs_stream_account == local.account_id
      error_message = "cloudwatch_logs.stream_arn: the stream is in account ${local.logs_stream_account}, the log groups in ${local.account_id}; a subscription filter delivers to a Kinesis data stream of its own account only."
    }
  }
}
