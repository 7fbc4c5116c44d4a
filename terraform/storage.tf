# One bucket per application: the jar, the dead letters and the redrive folder. The role may read and write only
# its own prefixes of it.
resource "aws_s3_bucket" "this" {
  bucket        = var.bucket_name
  bucket_prefix = var.bucket_name == null ? "${lower(substr(replace(var.name, "/[^a-zA-Z0-9-]/", "-"), 0, 36))}-" : null
  force_destroy = var.force_destroy_bucket
  tags          = var.tags
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  # The dead-letter sink writes through S3 multipart uploads; a job that fails mid-part leaves one behind.
  rule {
    id     = "abort-incomplete-uploads"
    status = "Enabled"

    filter {
      prefix = "${var.dead_letter_prefix}/"
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  dynamic "rule" {
    for_each = var.dead_letter_expiration_days == null ? [] : [var.dead_letter_expiration_days]

    content {
      id     = "expire-dead-letters"
      status = "Enabled"

      filter {
        prefix = "${var.dead_letter_prefix}/"
      }

      expiration {
        days = rule.value
      }
    }
  }
}

# The key carries the jar's SHA-256: a new build is a new key, which changes the application's code location and
# makes MSF update the application (restoring from the latest snapshot). Terraform deletes the replaced object;
# a rollback deploys the previous build again (docs/deploy.md).
resource "aws_s3_object" "jar" {
  bucket = aws_s3_bucket.this.id
  key    = "jars/searchsync-${filesha256(var.jar_path)}.jar"
  source = var.jar_path
  tags   = var.tags

  depends_on = [aws_s3_bucket_server_side_encryption_configuration.this]
}
