terraform {
  # 1.9 lets a variable's validation refer to other variables; 2.x is untested.
  required_version = ">= 1.9.0, < 2.0.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.x: data.aws_region exposes `region`, and the S3 bucket sub-resources used here are stable.
      version = ">= 6.0.0, < 7.0.0"
    }
  }
}
