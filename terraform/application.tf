resource "aws_kinesisanalyticsv2_application" "this" {
  name                   = var.name
  description            = "searchsync: ${local.input_label} ${local.stream_arn} -> OpenSearch ${var.opensearch.endpoint}"
  runtime_environment    = "FLINK-1_19" # Flink 1.19.1 on Java 11: the versions the jar is built for (pom.xml)
  service_execution_role = aws_iam_role.application.arn
  start_application      = var.start_application
  tags                   = var.tags

  application_configuration {
    application_code_configuration {
      code_content_type = "ZIPFILE"

      code_content {
        s3_content_location {
          bucket_arn = aws_s3_bucket.this.arn
          file_key   = aws_s3_object.jar.key
        }
      }
    }

    # Snapshots carry the source's shard positions and the per-document versions across updates and restarts.
    application_snapshot_configuration {
      snapshots_enabled = true
    }

    environment_properties {
      dynamic "property_group" {
        for_each = local.property_groups

        content {
          property_group_id = property_group.key
          property_map      = property_group.value
        }
      }
    }

    flink_application_configuration {
      # searchsync flushes OpenSearch writes and commits dead letters on every checkpoint: never turn it off.
      checkpoint_configuration {
        configuration_type            = "CUSTOM"
        checkpointing_enabled         = true
        checkpoint_interval           = var.checkpoint_interval_ms
        min_pause_between_checkpoints = var.min_pause_between_checkpoints_ms
      }

      monitoring_configuration {
        configuration_type = "CUSTOM"
        log_level          = var.log_level
        metrics_level      = var.metrics_level
      }

      parallelism_configuration {
        configuration_type   = "CUSTOM"
        parallelism          = var.parallelism
        parallelism_per_kpu  = var.parallelism_per_kpu
        auto_scaling_enabled = var.autoscaling_enabled
      }
    }

    run_configuration {
      application_restore_configuration {
        application_restore_type = var.restore_snapshot_name == null ? "RESTORE_FROM_LATEST_SNAPSHOT" : "RESTORE_FROM_CUSTOM_SNAPSHOT"
        snapshot_name            = var.restore_snapshot_name
      }

      flink_run_configuration {
        allow_non_restored_state = var.allow_non_restored_state
      }
    }

    dynamic "vpc_configuration" {
      for_each = var.vpc == null ? [] : [var.vpc]

      content {
        subnet_ids         = vpc_configuration.value.subnet_ids
        security_group_ids = vpc_configuration.value.security_group_ids
      }
    }
  }

  cloudwatch_logging_options {
    log_stream_arn = aws_cloudwatch_log_stream.this.arn
  }

  # The job reads the stream and checks the index as soon as it starts: its permissions must exist by then.
  depends_on = [aws_iam_role_policy.application]
}
