package dev.searchsync.config;

/** How the job proves who it is to OpenSearch; one per deployment, chosen with {@code opensearch/auth.type}. */
public enum AuthType {
    /** No credentials: a local or network-isolated cluster. */
    NONE,
    /** HTTP basic authentication with a user name and password (fine-grained access control's internal users). */
    BASIC,
    /** Every request signed with AWS Signature Version 4 (Amazon OpenSearch Service or Serverless). */
    AWS_SIGV4
}
