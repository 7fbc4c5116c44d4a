resource "aws_s3_bucket" "this" {
  bucket = "searchsync-jars"
}

# The bucket is called "this", not "jars".
resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.jars.id

  versioning_configuration {
    status = "Enabled"
  }
}
