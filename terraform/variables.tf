variable "name" {
  description = "Name of the Managed Service for Apache Flink application; also prefixes the role, bucket, log group and alarms."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,59}$", var.name))
    error_message = "name: expected 1 to 60 of a-z A-Z 0-9 _ . -, starting with a letter or digit (MSF allows 128, but the IAM role name adds \"-msf\" within its 64)."
  }
}

variable "jar_path" {
  description = "Path of the shaded job jar built by `mvn package` (target/searchsync-<version>.jar). Its SHA-256 becomes part of the S3 key, so every new build updates the application."
  type        = string

  validation {
    condition     = endswith(var.jar_path, ".jar") && fileexists(var.jar_path)
    error_message = "jar_path: expected an existing .jar file; run `mvn -DskipTests package` first."
  }
}

variable "dynamodb_stream_arn" {
  description = "ARN of the DynamoDB stream to sync (the table's `stream_arn`; stream view type NEW_AND_OLD_IMAGES or NEW_IMAGE). Set exactly one of this, kinesis_stream_arn and cloudwatch_logs. Sets properties `source/type` (dynamodb-streams) and `source/stream.arn`, and scopes the role's DynamoDB permissions."
  type        = string
  default     = null

  validation {
    condition     = var.dynamodb_stream_arn == null || can(regex("^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table/[A-Za-z0-9_.-]{3,255}/stream/[^/]+$", coalesce(var.dynamodb_stream_arn, "-")))
    error_message = "dynamodb_stream_arn: expected arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>."
  }

  # The input decides the role's permissions and the job's source: one role, one input.
  validation {
    condition     = length(compact([var.dynamodb_stream_arn == null ? "" : "dynamodb_stream_arn", var.kinesis_stream_arn == null ? "" : "kinesis_stream_arn", var.cloudwatch_logs == null ? "" : "cloudwatch_logs"])) > 0
    error_message = "dynamodb_stream_arn, kinesis_stream_arn, cloudwatch_logs: none is set; expected exactly one of them, the input to sync."
  }

  validation {
    condition     = length(compact([var.dynamodb_stream_arn == null ? "" : "dynamodb_stream_arn", var.kinesis_stream_arn == null ? "" : "kinesis_stream_arn", var.cloudwatch_logs == null ? "" : "cloudwatch_logs"])) < 2
    error_message = "dynamodb_stream_arn, kinesis_stream_arn, cloudwatch_logs: ${join(" and ", compact([var.dynamodb_stream_arn == null ? "" : "dynamodb_stream_arn", var.kinesis_stream_arn == null ? "" : "kinesis_stream_arn", var.cloudwatch_logs == null ? "" : "cloudwatch_logs"]))} are set; expected exactly one of them, the input to sync (one application reads one input: deploy the module once per input)."
  }
}

variable "kinesis_stream_arn" {
  description = "ARN of the Kinesis data stream to sync (the stream's `arn`; records are JSON documents, see the `events` property group). Set exactly one of this, dynamodb_stream_arn and cloudwatch_logs. Sets properties `source/type` (kinesis) and `source/stream.arn`, and scopes the role's Kinesis permissions."
  type        = string
  default     = null

  validation {
    condition     = var.kinesis_stream_arn == null || can(regex("^arn:aws[a-z-]*:kinesis:[a-z0-9-]+:[0-9]{12}:stream/[a-zA-Z0-9_.-]{1,128}$", coalesce(var.kinesis_stream_arn, "-")))
    error_message = "kinesis_stream_arn: expected arn:aws:kinesis:<region>:<account>:stream/<name>."
  }
}

variable "kinesis_kms_key_arn" {
  description = "The customer managed KMS key the Kinesis stream is encrypted with (the stream's `kms_key_id`, as a key ARN). The role may then decrypt with this key, only through Kinesis and only for this stream. Leave null for an unencrypted stream or one encrypted with the AWS managed key alias/aws/kinesis, which needs no permission."
  type        = string
  default     = null

  validation {
    condition     = var.kinesis_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", coalesce(var.kinesis_kms_key_arn, "-")))
    error_message = "kinesis_kms_key_arn: expected arn:aws:kms:<region>:<account>:key/<id> (a key ARN; an alias or a bare key id cannot scope the permission)."
  }

  validation {
    condition     = var.kinesis_kms_key_arn == null || var.kinesis_stream_arn != null
    error_message = "kinesis_kms_key_arn: only with kinesis_stream_arn (a DynamoDB stream needs no key permission; the key of the cloudwatch_logs stream is cloudwatch_logs.kms_key_arn)."
  }
}

variable "cloudwatch_logs" {
  description = <<-EOT
    CloudWatch Logs to sync, through a Kinesis data stream you create (`stream_arn`, in this account). The module puts
    a subscription filter named after the application on each log group of `log_group_names` (in the provider's
    region), delivering the events that match `filter_pattern` ("" = every event) to the stream, with a role
    CloudWatch Logs assumes that may only put records into it; the application's role may read it. `distribution`:
    how CloudWatch Logs spreads records over the shards, Random (default: even load; documents do not depend on
    the order) or ByLogStream. `kms_key_arn`: the stream's customer managed key, if it has one. Set exactly one of
    this, dynamodb_stream_arn and kinesis_stream_arn. Sets properties `source/type` (cloudwatch-logs) and
    `source/stream.arn`.
  EOT
  type = object({
    log_group_names = list(string)
    stream_arn      = string
    filter_pattern  = optional(string, "")
    distribution    = optional(string, "Random")
    kms_key_arn     = optional(string)
  })
  default = null

  validation {
    condition     = var.cloudwatch_logs == null || try(length(var.cloudwatch_logs.log_group_names) > 0 && length(distinct(var.cloudwatch_logs.log_group_names)) == length(var.cloudwatch_logs.log_group_names), false)
    error_message = "cloudwatch_logs.log_group_names: expected at least one log group name, each once."
  }

  validation {
    condition     = var.cloudwatch_logs == null || try(alltrue([for name in var.cloudwatch_logs.log_group_names : can(regex("^[-._/#A-Za-z0-9]{1,512}$", name))]), false)
    error_message = "cloudwatch_logs.log_group_names: expected log group names (1 to 512 of a-z A-Z 0-9 . - _ / #), not ARNs."
  }

  validation {
    condition     = var.cloudwatch_logs == null || try(can(regex("^arn:aws[a-z-]*:kinesis:[a-z0-9-]+:[0-9]{12}:stream/[a-zA-Z0-9_.-]{1,128}$", var.cloudwatch_logs.stream_arn)), false)
    error_message = "cloudwatch_logs.stream_arn: expected arn:aws:kinesis:<region>:<account>:stream/<name>, a stream of this account."
  }

  validation {
    condition     = var.cloudwatch_logs == null || try(length(var.cloudwatch_logs.filter_pattern) <= 1024, false)
    error_message = "cloudwatch_logs.filter_pattern: expected at most 1024 characters (\"\" delivers every event)."
  }

  validation {
    condition     = var.cloudwatch_logs == null || try(contains(["Random", "ByLogStream"], var.cloudwatch_logs.distribution), false)
    error_message = "cloudwatch_logs.distribution: expected Random or ByLogStream."
  }

  validation {
    condition     = var.cloudwatch_logs == null || try(var.cloudwatch_logs.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.cloudwatch_logs.kms_key_arn)), false)
    error_message = "cloudwatch_logs.kms_key_arn: expected arn:aws:kms:<region>:<account>:key/<id> (a key ARN; an alias or a bare key id cannot scope the permissions), or null for an unencrypted stream or one with the AWS managed key."
  }
}

variable "opensearch" {
  description = <<-EOT
    The OpenSearch target: `endpoint` (https URL without a path) and exactly one of `domain_arn` (Amazon OpenSearch
    Service) or `collection_arn` (OpenSearch Serverless). Sets the `opensearch` properties the module owns (endpoint,
    SigV4 signing for `es` or `aoss`, region) and scopes the role's OpenSearch permissions.
  EOT
  type = object({
    endpoint       = string
    domain_arn     = optional(string)
    collection_arn = optional(string)
  })

  validation {
    condition     = can(regex("^https://[^/:]+(:[0-9]+)?/?$", var.opensearch.endpoint))
    error_message = "opensearch.endpoint: expected an https:// URL without a path, such as https://search-x.eu-west-1.es.amazonaws.com."
  }

  validation {
    condition     = (var.opensearch.domain_arn == null) != (var.opensearch.collection_arn == null)
    error_message = "opensearch: expected exactly one of domain_arn and collection_arn."
  }

  validation {
    condition     = var.opensearch.domain_arn == null || can(regex("^arn:aws[a-z-]*:es:[a-z0-9-]+:[0-9]{12}:domain/[a-z][a-z0-9-]{2,27}$", coalesce(var.opensearch.domain_arn, "-")))
    error_message = "opensearch.domain_arn: expected arn:aws:es:<region>:<account>:domain/<name>."
  }

  validation {
    condition     = var.opensearch.collection_arn == null || can(regex("^arn:aws[a-z-]*:aoss:[a-z0-9-]+:[0-9]{12}:collection/[a-z0-9]+$", coalesce(var.opensearch.collection_arn, "-")))
    error_message = "opensearch.collection_arn: expected arn:aws:aoss:<region>:<account>:collection/<id>."
  }
}

variable "property_groups" {
  description = <<-EOT
    The job's configuration, in the same shape as the JSON file `job/run-local --properties` reads:
    { group = { key = "value" } }. See docs/configuration.md for every key. The module sets, and refuses here,
    the keys that must agree with the resources it creates: source/type, source/stream.arn, source/stream.name,
    source/table.name, opensearch/endpoint, opensearch/auth.type, opensearch/aws.service, opensearch/aws.region, deadletter/path and
    deadletter/redrive.path.
  EOT
  type        = map(map(string))
  default     = {}

  validation {
    condition = length(setintersection(
      toset(flatten([for group, properties in var.property_groups : [for key, _ in properties : "${group}/${key}"]])),
      toset([
        "source/type", "source/stream.arn", "source/stream.name", "source/table.name",
        "opensearch/endpoint", "opensearch/auth.type", "opensearch/aws.service", "opensearch/aws.region",
        "deadletter/path", "deadletter/redrive.path",
      ])
    )) == 0
    error_message = "property_groups: source/type, source/stream.arn, source/stream.name, source/table.name, opensearch/endpoint, opensearch/auth.type, opensearch/aws.service, opensearch/aws.region, deadletter/path and deadletter/redrive.path are set by the module from the input (dynamodb_stream_arn, kinesis_stream_arn or cloudwatch_logs), opensearch and the bucket; remove them."
  }
}

variable "bucket_name" {
  description = "Name of the S3 bucket created for the jar and the dead letters. Default: a unique name starting with `<name>-`."
  type        = string
  default     = null

  validation {
    condition     = var.bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", coalesce(var.bucket_name, "-")))
    error_message = "bucket_name: expected 3 to 63 of a-z 0-9 . -, starting and ending with a letter or digit."
  }
}

variable "force_destroy_bucket" {
  description = "Let `terraform destroy` delete the bucket with the dead letters and jars still in it. Keep false where dead letters matter."
  type        = bool
  default     = false
}

variable "dead_letter_prefix" {
  description = "Top-level folder of the bucket that dead letters are written under (property deadletter/path)."
  type        = string
  default     = "dead-letters"

  validation {
    # One path segment: S3A probes every parent folder of a path, and the role may read only its own prefixes.
    condition     = can(regex("^[a-z0-9][a-z0-9._-]{0,62}$", var.dead_letter_prefix))
    error_message = "dead_letter_prefix: expected one folder name of a-z 0-9 . _ - (no slashes)."
  }
}

variable "redrive_prefix" {
  description = "Top-level folder of the bucket that the job watches for dead letters to redrive (property deadletter/redrive.path)."
  type        = string
  default     = "redrive"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9._-]{0,62}$", var.redrive_prefix)) && var.redrive_prefix != var.dead_letter_prefix
    error_message = "redrive_prefix: expected one folder name of a-z 0-9 . _ - (no slashes), different from dead_letter_prefix."
  }
}

variable "dead_letter_expiration_days" {
  description = "Delete dead letters this many days after they were written. Default: keep them until someone deletes them."
  type        = number
  default     = null

  validation {
    condition     = var.dead_letter_expiration_days == null || try(var.dead_letter_expiration_days >= 1 && floor(var.dead_letter_expiration_days) == var.dead_letter_expiration_days, false)
    error_message = "dead_letter_expiration_days: expected a whole number of days, at least 1, or null."
  }
}

variable "log_retention_days" {
  description = "Days the application's CloudWatch logs are kept."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days: expected one of the values CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "log_kms_key_arn" {
  description = "KMS key to encrypt the log group with. Its key policy must allow the CloudWatch Logs service principal of the region. Default: CloudWatch Logs' own encryption."
  type        = string
  default     = null

  validation {
    condition     = var.log_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", coalesce(var.log_kms_key_arn, "-")))
    error_message = "log_kms_key_arn: expected arn:aws:kms:<region>:<account>:key/<id>."
  }
}

variable "log_level" {
  description = "Level of the application's logs in CloudWatch."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARN", "ERROR"], var.log_level)
    error_message = "log_level: expected DEBUG, INFO, WARN or ERROR."
  }
}

variable "metrics_level" {
  description = "Granularity of the metrics MSF sends to CloudWatch. The alarms work at every level; finer levels cost more metrics."
  type        = string
  default     = "APPLICATION"

  validation {
    condition     = contains(["APPLICATION", "TASK", "OPERATOR", "PARALLELISM"], var.metrics_level)
    error_message = "metrics_level: expected APPLICATION, TASK, OPERATOR or PARALLELISM."
  }
}

variable "checkpoint_interval_ms" {
  description = "Milliseconds between checkpoints. Every checkpoint flushes the pending OpenSearch writes and commits the dead letters, so this bounds how late a dead letter appears in S3."
  type        = number
  default     = 60000

  validation {
    condition     = var.checkpoint_interval_ms >= 5000 && floor(var.checkpoint_interval_ms) == var.checkpoint_interval_ms
    error_message = "checkpoint_interval_ms: expected a whole number of milliseconds, at least 5000."
  }
}

variable "min_pause_between_checkpoints_ms" {
  description = "Least milliseconds between the end of one checkpoint and the start of the next."
  type        = number
  default     = 5000

  validation {
    condition     = var.min_pause_between_checkpoints_ms >= 0 && var.min_pause_between_checkpoints_ms < var.checkpoint_interval_ms
    error_message = "min_pause_between_checkpoints_ms: expected at least 0 and less than checkpoint_interval_ms."
  }
}

variable "parallelism" {
  description = "Parallelism the application starts with (and returns to on update). KPUs = ceil(parallelism / parallelism_per_kpu), plus one KPU MSF adds for the job manager."
  type        = number
  default     = 2

  validation {
    condition     = var.parallelism >= 1 && floor(var.parallelism) == var.parallelism
    error_message = "parallelism: expected a whole number, at least 1."
  }
}

variable "parallelism_per_kpu" {
  description = "Parallel tasks per KPU (1 KPU = 1 vCPU, 4 GB). searchsync mostly waits on its input stream and OpenSearch, so 2 to 4 is usually right; keep 1 when documents are large."
  type        = number
  default     = 2

  validation {
    condition     = var.parallelism_per_kpu >= 1 && var.parallelism_per_kpu <= 8 && floor(var.parallelism_per_kpu) == var.parallelism_per_kpu
    error_message = "parallelism_per_kpu: expected a whole number from 1 to 8."
  }
}

variable "autoscaling_enabled" {
  description = "Let MSF raise the parallelism when CPU stays above 75% for 15 minutes (and lower it again). Each scaling is a restart from a snapshot."
  type        = bool
  default     = true
}

variable "start_application" {
  description = "Run the application. Set false to stop it (MSF takes a snapshot first); true again resumes from that snapshot."
  type        = bool
  default     = true
}

variable "restore_snapshot_name" {
  description = "Start from this snapshot instead of the latest one (for a rollback; see docs/deploy.md). Default: restore from the latest snapshot."
  type        = string
  default     = null
}

variable "allow_non_restored_state" {
  description = "Start even if a snapshot holds state that no operator of the new jar claims. Keep false: every stateful operator has a stable uid, and state that does not map back means a wrong jar."
  type        = bool
  default     = false
}

variable "vpc" {
  description = "Run the application in these subnets with these security groups (they must reach the input (DynamoDB Streams, or Kinesis for kinesis_stream_arn and cloudwatch_logs, and KMS for a stream with a customer managed key), S3, CloudWatch and OpenSearch, e.g. through VPC endpoints or a NAT). Default: no VPC."
  type = object({
    subnet_ids         = list(string)
    security_group_ids = list(string)
  })
  default = null

  validation {
    condition     = var.vpc == null || try(length(var.vpc.subnet_ids) > 0 && alltrue([for id in var.vpc.subnet_ids : can(regex("^subnet-[0-9a-f]+$", id))]), false)
    error_message = "vpc.subnet_ids: expected at least one subnet id (subnet-...)."
  }

  validation {
    condition     = var.vpc == null || try(length(var.vpc.security_group_ids) > 0 && length(var.vpc.security_group_ids) <= 5 && alltrue([for id in var.vpc.security_group_ids : can(regex("^sg-[0-9a-f]+$", id))]), false)
    error_message = "vpc.security_group_ids: expected 1 to 5 security group ids (sg-...)."
  }
}

variable "alarm_topic_arn" {
  description = "Existing SNS topic that the alarms notify. Leave null to use `create_alarm_topic`, or to have alarms without notifications."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:.+$", coalesce(var.alarm_topic_arn, "-")))
    error_message = "alarm_topic_arn: expected arn:aws:sns:<region>:<account>:<topic>."
  }
}

variable "create_alarm_topic" {
  description = "Create an SNS topic `<name>-alarms` for the alarms (ignored when alarm_topic_arn is set)."
  type        = bool
  default     = false
}

variable "alarm_emails" {
  description = "E-mail addresses subscribed to the created alarm topic (each must confirm the subscription)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for email in var.alarm_emails : can(regex("^[^@\\s]+@[^@\\s]+$", email))])
    error_message = "alarm_emails: expected e-mail addresses."
  }
}

variable "source_lag_alarm_ms" {
  description = "The source-lag alarm fires when the job is this many milliseconds behind the newest stream record (millisBehindLatest) ..."
  type        = number
  default     = 300000

  validation {
    condition     = var.source_lag_alarm_ms >= 1000
    error_message = "source_lag_alarm_ms: expected at least 1000."
  }
}

variable "source_lag_alarm_minutes" {
  description = "... for this many minutes in a row."
  type        = number
  default     = 15

  validation {
    condition     = var.source_lag_alarm_minutes >= 1 && var.source_lag_alarm_minutes <= 1440 && floor(var.source_lag_alarm_minutes) == var.source_lag_alarm_minutes
    error_message = "source_lag_alarm_minutes: expected a whole number from 1 to 1440."
  }
}

variable "tags" {
  description = "Tags for every resource the module creates."
  type        = map(string)
  default     = {}
}
