# Five alarms, one per way the sync can go wrong. Built-in MSF metrics use the Application dimension; the job's
# own metrics (registered under the `kinesisanalytics` group so that MSF exports them) are read with Metrics
# Insights queries, which aggregate over whatever further dimensions the metrics level adds.

resource "aws_sns_topic" "alarms" {
  count = var.alarm_topic_arn == null && var.create_alarm_topic ? 1 : 0

  name = "${replace(var.name, ".", "-")}-alarms" # topic names allow no dots
  tags = var.tags
}

resource "aws_sns_topic_subscription" "alarm_emails" {
  for_each = var.alarm_topic_arn == null && var.create_alarm_topic ? toset(var.alarm_emails) : toset([])

  topic_arn = aws_sns_topic.alarms[0].arn
  protocol  = "email"
  endpoint  = each.value
}

# The job is not running. A stopped application sends no data point, which counts as down unless it was stopped
# on purpose (start_application = false).
resource "aws_cloudwatch_metric_alarm" "downtime" {
  alarm_name          = "${var.name}-downtime"
  alarm_description   = "searchsync ${var.name} is not running (MSF downtime > 0). See docs/operations.md."
  namespace           = "AWS/KinesisAnalytics"
  metric_name         = "downtime"
  dimensions          = { Application = aws_kinesisanalyticsv2_application.this.name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = var.start_application ? "breaching" : "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = var.tags
}

# fullRestarts only grows while the job lives, so the alarm looks at its rate: it fires while restarts happen.
resource "aws_cloudwatch_metric_alarm" "full_restarts" {
  alarm_name          = "${var.name}-full-restarts"
  alarm_description   = "searchsync ${var.name} restarted (OpenSearch unreachable, throttling past the retries, a dead letter that could not be written, trimmed data). The log names the cause."
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = var.tags

  metric_query {
    id          = "restarts"
    expression  = "RATE(total)"
    label       = "full restarts per second"
    return_data = true
  }

  metric_query {
    id = "total"

    metric {
      namespace   = "AWS/KinesisAnalytics"
      metric_name = "fullRestarts"
      dimensions  = { Application = aws_kinesisanalyticsv2_application.this.name }
      stat        = "Maximum"
      period      = 300
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "failed_checkpoints" {
  alarm_name          = "${var.name}-failed-checkpoints"
  alarm_description   = "searchsync ${var.name} failed checkpoints: OpenSearch writes are not being confirmed and dead letters not committed."
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = var.tags

  metric_query {
    id          = "failures"
    expression  = "RATE(total)"
    label       = "failed checkpoints per second"
    return_data = true
  }

  metric_query {
    id = "total"

    metric {
      namespace   = "AWS/KinesisAnalytics"
      metric_name = "numberOfFailedCheckpoints"
      dimensions  = { Application = aws_kinesisanalyticsv2_application.this.name }
      stat        = "Maximum"
      period      = 300
    }
  }
}

# millisBehindLatest: how far the slowest shard reader is behind the newest record of the stream. Both inputs
# export it under the same name, so one alarm serves either; only its description names the input.
resource "aws_cloudwatch_metric_alarm" "source_lag" {
  alarm_name          = "${var.name}-source-lag"
  alarm_description   = "searchsync ${var.name} is more than ${var.source_lag_alarm_ms} ms behind the ${local.input_label} for ${var.source_lag_alarm_minutes} minutes; records older than ${local.input_retention} are lost."
  evaluation_periods  = var.source_lag_alarm_minutes
  datapoints_to_alarm = var.source_lag_alarm_minutes
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.source_lag_alarm_ms
  treat_missing_data  = "missing"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = var.tags

  metric_query {
    id          = "lag"
    expression  = "SELECT MAX(millisBehindLatest) FROM \"AWS/KinesisAnalytics\" WHERE Application = '${aws_kinesisanalyticsv2_application.this.name}'"
    period      = 60
    label       = "millisBehindLatest"
    return_data = true
  }
}

# Any dead letter: a change the index does not hold. deadLettersPerSecond is a one-minute rate, above zero for a
# minute after each letter.
resource "aws_cloudwatch_metric_alarm" "dead_letters" {
  alarm_name          = "${var.name}-dead-letters"
  alarm_description   = "searchsync ${var.name} wrote dead letters to s3://${aws_s3_bucket.this.bucket}/${var.dead_letter_prefix}/. Read them, fix the cause, redrive (docs/operations.md)."
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = var.tags

  metric_query {
    id          = "letters"
    expression  = "SELECT MAX(deadLettersPerSecond) FROM \"AWS/KinesisAnalytics\" WHERE Application = '${aws_kinesisanalyticsv2_application.this.name}'"
    period      = 60
    label       = "deadLettersPerSecond"
    return_data = true
  }
}
