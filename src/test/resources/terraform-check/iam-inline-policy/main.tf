variable "role_name" {
  type = string
}

resource "aws_iam_role_policy" "application" {
  name = "searchsync"
  role = var.role_name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = ["arn:aws:s3:::searchsync-jars/*"] }]
  })
}
