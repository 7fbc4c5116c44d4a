package dev.searchsync.config;


import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The validated settings of the OpenSearch sink; serializable because the sink carries it to every TaskManager. */
public final class OpenSearchConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<URI> endpoints;
    private final AuthType authType;
    private final String username;
    private final String password;
    private final String awsRegion;
    private final String awsService;
    private final int bulkMaxActions;
    private final int bulkMaxSizeMb;
    private final int requestMaxSizeMb;
    private final long bulkFlushIntervalMs;
    private final int bulkMaxInFlight;
    private final int backoffMaxRetries;
    private final long backoffInitialDelayMs;
    private final long backoffMaxDelayMs;

    private OpenSearchConfig(List<URI> endpoints, AuthType authType, String username, String password,
            String awsRegion, String awsService, int bulkMaxActions, int bulkMaxSizeMb, int requestMaxSizeMb,
            long bulkFlushIntervalMs, int bulkMaxInFlight, int backoffMaxRetries, long backoffInitialDelayMs,
            long backoffMaxDelayMs) {
        this.endpoints = endpoints;
        this.authType = authType;
        this.username = username;
        this.password = password;
        this.awsRegion = awsRegion;
        this.awsService = awsService;
        this.bulkMaxActions = bulkMaxActions;
        this.bulkMaxSizeMb = bulkMaxSizeMb;
        this.requestMaxSizeMb = requestMaxSizeMb;
        this.bulkFlushIntervalMs = bulkFlushIntervalMs;
        this.bulkMaxInFlight = bulkMaxInFlight;
        this.backoffMaxRetries = backoffMaxRetries;
        this.backoffInitialDelayMs = backoffInitialDelayMs;
        this.backoffMaxDelayMs = backoffMaxDelayMs;
    }

    /**
     * Reads and checks group {@value OpenSearchOptions#GROUP}; problems go to {@code reader} (the caller throws
     * them with {@link ConfigReader#throwIfInvalid()}), and what comes back is only meaningful when there were none.
     */
    public static OpenSearchConfig read(ConfigReader reader) {
        List<URI> endpoints = reader.require(OpenSearchOptions.ENDPOINT).orElse(List.of());
        if (endpoints.stream().anyMatch(uri -> uri.getRawUserInfo() != null)) {
            // Group-level on purpose: the key-level form would echo the URL, and with it the password.
            reader.problem(OpenSearchOptions.GROUP, "key 'endpoint' has a user name or password in a URL,"
                    + " expected credentials only in auth.username and auth.password (auth.type=BASIC)");
            endpoints = endpoints.stream().map(OpenSearchConfig::withoutUserInfo).collect(Collectors.toList());
        }

        Optional<AuthType> parsedAuth = reader.get(OpenSearchOptions.AUTH_TYPE);
        AuthType authType = parsedAuth.orElse(AuthType.NONE);
        String username = reader.value(OpenSearchOptions.USERNAME);
        String password = reader.value(OpenSearchOptions.PASSWORD);
        if (parsedAuth.isPresent()) {
            checkAuthCombination(reader, authType, username, password);
            checkBasicOverHttp(reader, authType, endpoints);
        }

        String awsRegion = reader.value(OpenSearchOptions.AWS_REGION);
        String awsService = reader.value(OpenSearchOptions.AWS_SERVICE);
        int bulkMaxActions = reader.value(OpenSearchOptions.BULK_MAX_ACTIONS);
        int bulkMaxSizeMb = reader.value(OpenSearchOptions.BULK_MAX_SIZE_MB);
        int requestMaxSizeMb = reader.value(OpenSearchOptions.REQUEST_MAX_SIZE_MB);
        long bulkFlushInterval = reader.value(OpenSearchOptions.BULK_FLUSH_INTERVAL);
        int maxInFlight = reader.value(OpenSearchOptions.BULK_MAX_IN_FLIGHT);
        int maxRetries = reader.value(OpenSearchOptions.BACKOFF_MAX_RETRIES);
        long initialDelay = reader.value(OpenSearchOptions.BACKOFF_INITIAL_DELAY);
        long maxDelay = reader.value(OpenSearchOptions.BACKOFF_MAX_DELAY);
        if (maxDelay < initialDelay) {
            reader.problem(OpenSearchOptions.GROUP, "key '" + OpenSearchOptions.BACKOFF_MAX_DELAY.key() + "': got '"
                    + maxDelay + "', expected at least " + OpenSearchOptions.BACKOFF_INITIAL_DELAY.key() + " ("
                    + initialDelay + ")");
            maxDelay = initialDelay;
        }
        return new OpenSearchConfig(endpoints, authType,
                authType == AuthType.BASIC ? username : null,
                authType == AuthType.BASIC ? password : null,
                awsRegion, awsService, bulkMaxActions, bulkMaxSizeMb, requestMaxSizeMb, bulkFlushInterval, maxInFlight,
                maxRetries, initialDelay, maxDelay);
    }

    private static URI withoutUserInfo(URI uri) {
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("endpoint cannot be rebuilt without its user part", e);
        }
    }

    /**
     * BASIC puts the password in every request, readable by anyone on the path unless TLS hides it: http://
     * endpoints need an explicit yes. Group-level, naming only the http:// endpoints (user parts already removed).
     */
    private static void checkBasicOverHttp(ConfigReader reader, AuthType authType, List<URI> endpoints) {
        boolean allowed = reader.value(OpenSearchOptions.BASIC_OVER_HTTP);
        if (authType != AuthType.BASIC) {
            if (reader.isSet(OpenSearchOptions.BASIC_OVER_HTTP)) {
                reader.problem(OpenSearchOptions.BASIC_OVER_HTTP,
                        "expected it only with auth.type=BASIC (auth.type is " + authType + ")");
            }
            return;
        }
        List<String> plain = endpoints.stream().filter(uri -> "http".equalsIgnoreCase(uri.getScheme()))
                .map(URI::toString).collect(Collectors.toList());
        if (!plain.isEmpty() && !allowed) {
            reader.problem(OpenSearchOptions.GROUP, "auth.type=BASIC would send the password readable to anyone"
                    + " on the network path to " + String.join(", ", plain) + ", expected https:// endpoints, or"
                    + " auth.basic.allow.http=true where plain http is acceptable (a cluster on the same host)");
        }
    }

    /** Keys that belong to another auth type are problems: a misspelt auth.type would otherwise go unnoticed. */
    private static void checkAuthCombination(ConfigReader reader, AuthType authType, String username,
            String password) {
        String actual = " (auth.type is " + authType + ")";
        if (authType == AuthType.BASIC) {
            if (username == null) {
                reader.problem(OpenSearchOptions.USERNAME, "expected a user name with auth.type=BASIC");
            }
            if (password == null) {
                reader.problem(OpenSearchOptions.PASSWORD, "expected a password with auth.type=BASIC");
            }
        } else {
            if (reader.isSet(OpenSearchOptions.USERNAME)) {
                reader.problem(OpenSearchOptions.USERNAME, "expected no user name unless auth.type=BASIC" + actual);
            }
            if (reader.isSet(OpenSearchOptions.PASSWORD)) {
                reader.problem(OpenSearchOptions.PASSWORD, "expected no password unless auth.type=BASIC" + actual);
            }
        }
        if (authType != AuthType.AWS_SIGV4) {
            if (reader.isSet(OpenSearchOptions.AWS_REGION)) {
                reader.problem(OpenSearchOptions.AWS_REGION, "expected no region unless auth.type=AWS_SIGV4" + actual);
            }
            if (reader.isSet(OpenSearchOptions.AWS_SERVICE)) {
                reader.problem(OpenSearchOptions.AWS_SERVICE,
                        "expected no service unless auth.type=AWS_SIGV4" + actual);
            }
        }
    }

    /** Endpoints as configured, in order; requests are spread over them by the client. */
    public List<URI> endpoints() {
        return endpoints;
    }

    public AuthType authType() {
        return authType;
    }

    /** The BASIC user name; null for other auth types. */
    public String username() {
        return username;
    }

    /** The BASIC password; null for other auth types. A secret: never log it or put it in a message. */
    public String password() {
        return password;
    }

    /** The signing region, or empty to use the AWS SDK's default region chain. */
    public Optional<String> awsRegion() {
        return Optional.ofNullable(awsRegion);
    }

    /** The signing service name: {@code es} or {@code aoss}. */
    public String awsService() {
        return awsService;
    }

    public int bulkMaxActions() {
        return bulkMaxActions;
    }

    public int bulkMaxSizeMb() {
        return bulkMaxSizeMb;
    }

    /** The largest HTTP request payload the cluster accepts, in MiB. */
    public int requestMaxSizeMb() {
        return requestMaxSizeMb;
    }

    public long bulkFlushIntervalMs() {
        return bulkFlushIntervalMs;
    }

    /** Bulk requests one sink subtask may have sent and not yet had answered. */
    public int bulkMaxInFlight() {
        return bulkMaxInFlight;
    }

    /** Retries of a bulk OpenSearch could not take at the moment; 0 sends each bulk once. */
    public int backoffMaxRetries() {
        return backoffMaxRetries;
    }

    public long backoffInitialDelayMs() {
        return backoffInitialDelayMs;
    }

    public long backoffMaxDelayMs() {
        return backoffMaxDelayMs;
    }

    @Override
    public String toString() {
        // Never the password: only whether one is set.
        return "OpenSearchConfig{endpoints=" + endpoints + ", auth=" + authType
                + (authType == AuthType.BASIC ? ", username=" + username + ", password=" + (password == null
                        ? "(none)" : "(set)") : "")
                + (authType == AuthType.AWS_SIGV4 ? ", aws.region=" + (awsRegion == null ? "(default chain)"
                        : awsRegion) + ", aws.service=" + awsService : "")
                + ", bulk.max.actions=" + bulkMaxActions + ", bulk.max.size.mb=" + bulkMaxSizeMb
                + ", request.max.size.mb=" + requestMaxSizeMb
                + ", bulk.flush.interval.ms=" + bulkFlushIntervalMs + ", bulk.max.in.flight=" + bulkMaxInFlight
                + ", bulk.backoff.max.retries="
                + backoffMaxRetries + ", bulk.backoff.initial.delay.ms=" + backoffInitialDelayMs
                + ", bulk.backoff.max.delay.ms=" + backoffMaxDelayMs + '}';
    }
}
