# The application's role: only what searchsync calls, on the named resources it calls it on.

data "aws_iam_policy_document" "assume_role" {
  statement {
    sid     = "ManagedFlinkAssumesRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["kinesisanalytics.amazonaws.com"]
    }

    # Only this account's application of this name may use the role (confused-deputy protection).
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:kinesisanalytics:${local.region}:${local.account_id}:application/${var.name}"]
    }
  }
}

resource "aws_iam_role" "application" {
  name               = "${var.name}-msf"
  assume_role_policy = data.aws_iam_policy_document.assume_role.json
  tags               = var.tags
}

data "aws_iam_policy_document" "application" {
  statement {
    sid       = "ReadJobJar"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = ["${aws_s3_bucket.this.arn}/${aws_s3_object.jar.key}"]
  }

  # The input's permissions: only those of the one input given (variables.tf allows exactly one), on its stream.
  dynamic "statement" {
    for_each = var.dynamodb_stream_arn == null ? [] : [var.dynamodb_stream_arn]

    content {
      sid       = "ReadTableStream"
      actions   = ["dynamodb:DescribeStream", "dynamodb:GetShardIterator", "dynamodb:GetRecords"]
      resources = [statement.value]
    }
  }

  # The job reads the key schema from the table at start unless index/partition.key is set; the initial load
  # reads the key schema and the item count.
  dynamic "statement" {
    for_each = var.dynamodb_stream_arn == null ? [] : [local.table_arn]

    content {
      sid       = "DescribeTable"
      actions   = ["dynamodb:DescribeTable"]
      resources = [statement.value]
    }
  }

  # The initial load (property load/mode, ON_EMPTY_STATE by default) scans the table, strongly consistent. Granted
  # with load/mode=NEVER too: the job reads every change of the table from its stream anyway.
  dynamic "statement" {
    for_each = var.dynamodb_stream_arn == null ? [] : [local.table_arn]

    content {
      sid       = "ScanTableForInitialLoad"
      actions   = ["dynamodb:Scan"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = var.dynamodb_stream_arn == null ? [] : [var.dynamodb_stream_arn]

    content {
      sid     = "ListStreams"
      actions = ["dynamodb:ListStreams"]
      # AWS requires "*": dynamodb:ListStreams has no resource type (it returns stream ARNs, never data).
      resources = ["*"]
    }
  }

  # Polling (shared throughput) reads: the stream's summary at start, its shards, then iterators and records per
  # shard. All four are authorized on the stream itself (ListShards too, since it takes a StreamARN). Enhanced
  # fan-out would add kinesis:DescribeStreamConsumer and kinesis:RegisterStreamConsumer on the stream and
  # kinesis:SubscribeToShard on its consumer (<stream ARN>/consumer/<name>:*), in a statement of its own.
  dynamic "statement" {
    for_each = var.kinesis_stream_arn == null ? [] : [var.kinesis_stream_arn]

    content {
      sid = "ReadKinesisStream"
      actions = [
        "kinesis:DescribeStreamSummary", "kinesis:ListShards", "kinesis:GetShardIterator", "kinesis:GetRecords",
      ]
      resources = [statement.value]
    }
  }

  # A stream encrypted with a customer managed key: GetRecords decrypts with the caller's permission. Kinesis
  # passes the stream ARN as encryption context (aws:kinesis:arn) in every KMS call, so the key may be used only
  # through Kinesis, and only for this stream. An AWS managed key (alias/aws/kinesis) needs no statement.
  dynamic "statement" {
    for_each = var.kinesis_kms_key_arn == null ? [] : [var.kinesis_kms_key_arn]

    content {
      sid       = "DecryptKinesisRecords"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["kinesis.${local.kinesis_region}.amazonaws.com"]
      }

      condition {
        test     = "StringEquals"
        variable = "kms:EncryptionContext:aws:kinesis:arn"
        values   = [var.kinesis_stream_arn]
      }
    }
  }

  # The CloudWatch Logs input: the job reads the stream the subscription filters deliver to exactly as a Kinesis
  # input (subscription.tf), with the same four actions on that stream only.
  dynamic "statement" {
    for_each = var.cloudwatch_logs == null ? [] : [var.cloudwatch_logs.stream_arn]

    content {
      sid = "ReadLogsStream"
      actions = [
        "kinesis:DescribeStreamSummary", "kinesis:ListShards", "kinesis:GetShardIterator", "kinesis:GetRecords",
      ]
      resources = [statement.value]
    }
  }

  # Its stream encrypted with a customer managed key: decrypt through Kinesis, for this stream only (as above).
  dynamic "statement" {
    for_each = local.logs_kms_key_arn == null ? [] : [local.logs_kms_key_arn]

    content {
      sid       = "DecryptLogsRecords"
      actions   = ["kms:Decrypt"]
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

  # GET/HEAD (index, template, alias exist; mapping), PUT (create the index, write the index template),
  # POST (_bulk, _aliases). Never DELETE.
  dynamic "statement" {
    for_each = var.opensearch.domain_arn == null ? [] : [var.opensearch.domain_arn]

    content {
      sid       = "WriteOpenSearchDomain"
      actions   = ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut"]
      resources = [statement.value, "${statement.value}/*"]
    }
  }

  # Serverless authorizes at the collection; what the role may do inside is the collection's data access policy.
  dynamic "statement" {
    for_each = var.opensearch.collection_arn == null ? [] : [var.opensearch.collection_arn]

    content {
      sid       = "WriteOpenSearchCollection"
      actions   = ["aoss:APIAccessAll"]
      resources = [statement.value]
    }
  }

  # Flink's S3 writer uploads parts, parks small unfinished parts as objects beside the file, reads them back after
  # a restore and deletes them: hence Get and Delete, under the dead-letter prefix only.
  statement {
    sid       = "WriteDeadLetters"
    actions   = ["s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
    resources = ["${aws_s3_bucket.this.arn}/${var.dead_letter_prefix}/*"]
  }

  statement {
    sid       = "ReadRedriveFolder"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.this.arn}/${var.redrive_prefix}/*"]
  }

  # The job creates the redrive folder at start; on S3 that is this one empty marker object.
  statement {
    sid       = "CreateRedriveFolder"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.this.arn}/${var.redrive_prefix}/"]
  }

  # Listing is not narrowed by an s3:prefix condition: S3 answers a HEAD of a missing key with 404 only to callers
  # allowed to list the bucket (403 otherwise), and Hadoop's S3A file system reads 403 as a failure. The bucket
  # holds nothing but this application's jars and letters.
  statement {
    sid       = "ListOwnBucket"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [aws_s3_bucket.this.arn]
  }

  statement {
    sid       = "DescribeLogGroups"
    actions   = ["logs:DescribeLogGroups"]
    resources = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:*"]
  }

  statement {
    sid       = "DescribeLogStreams"
    actions   = ["logs:DescribeLogStreams"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:log-stream:*"]
  }

  statement {
    sid       = "WriteLogs"
    actions   = ["logs:PutLogEvents"]
    resources = [aws_cloudwatch_log_stream.this.arn]
  }

  statement {
    sid     = "PutMetrics"
    actions = ["cloudwatch:PutMetricData"]
    # AWS requires "*": cloudwatch:PutMetricData has no resource type; the condition pins the namespace instead.
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = ["AWS/KinesisAnalytics"]
    }
  }

  # Only with a VPC: MSF puts network interfaces into the given subnets.
  dynamic "statement" {
    for_each = var.vpc == null ? [] : [var.vpc]

    content {
      sid = "DescribeVpcResources"
      actions = [
        "ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeDhcpOptions",
        "ec2:DescribeNetworkInterfaces",
      ]
      # AWS requires "*": these EC2 Describe actions have no resource type.
      resources = ["*"]
    }
  }

  dynamic "statement" {
    for_each = var.vpc == null ? [] : [var.vpc]

    content {
      sid     = "CreateNetworkInterfaces"
      actions = ["ec2:CreateNetworkInterface"]
      resources = concat(
        ["arn:${local.partition}:ec2:${local.region}:${local.account_id}:network-interface/*"],
        [for id in statement.value.subnet_ids : "arn:${local.partition}:ec2:${local.region}:${local.account_id}:subnet/${id}"],
        [for id in statement.value.security_group_ids : "arn:${local.partition}:ec2:${local.region}:${local.account_id}:security-group/${id}"],
      )
    }
  }

  dynamic "statement" {
    for_each = var.vpc == null ? [] : [var.vpc]

    content {
      sid       = "ManageNetworkInterfaces"
      actions   = ["ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface"]
      resources = ["arn:${local.partition}:ec2:${local.region}:${local.account_id}:network-interface/*"]
    }
  }
}

resource "aws_iam_role_policy" "application" {
  name   = "searchsync"
  role   = aws_iam_role.application.id
  policy = data.aws_iam_policy_document.application.json
}
