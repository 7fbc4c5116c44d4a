package dev.searchsync.config;


import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The keys of property group {@value #GROUP}: where the index lives, how to authenticate, and how to batch writes. */
public final class OpenSearchOptions {
    public static final String GROUP = "opensearch";

    public static final Option<List<URI>> ENDPOINT = Option.of(GROUP, "endpoint", new EndpointList(), null,
            "OpenSearch endpoint(s), comma-separated, e.g. https://search-x.eu-west-1.es.amazonaws.com."
                    + " TLS is always verified against the JVM trust store.");

    public static final Option<AuthType> AUTH_TYPE = Option.of(GROUP, "auth.type",
            ValueType.oneOf(AuthType.class), AuthType.NONE,
            "NONE; BASIC with auth.username and auth.password; AWS_SIGV4 signs every request with the AWS SDK"
                    + " default credentials (on MSF, the application's role).");

    public static final Option<String> USERNAME = Option.of(GROUP, "auth.username",
            ValueType.string("a user name"), null, "User name, only with auth.type=BASIC.");

    public static final Option<String> PASSWORD = Option.secret(GROUP, "auth.password", new Verbatim("a password"),
            "Password, only with auth.type=BASIC. Never logged or echoed in errors.");

    public static final Option<Boolean> BASIC_OVER_HTTP = Option.of(GROUP, "auth.basic.allow.http",
            ValueType.bool(), false,
            "Allow auth.type=BASIC with an http:// endpoint, which sends the password readable by anyone on the"
                    + " network path; only with auth.type=BASIC. Default: refused, use https://.");

    public static final Option<String> AWS_REGION = Option.of(GROUP, "aws.region",
            ValueType.matching("an AWS region name such as eu-west-1", OpenSearchOptions::isRegionName), null,
            "Region of the domain or collection, only with auth.type=AWS_SIGV4."
                    + " Default: the SDK's default region chain.");

    public static final Option<String> AWS_SERVICE = Option.of(GROUP, "aws.service",
            ValueType.matching("es (Amazon OpenSearch Service) or aoss (Amazon OpenSearch Serverless)",
                    OpenSearchOptions::isSigningService),
            "es", "Service name in the signature, only with auth.type=AWS_SIGV4.");

    public static final Option<Integer> BULK_MAX_ACTIONS = Option.of(GROUP, "bulk.max.actions",
            ValueType.intInRange(1, 100_000), 2_000, "A bulk request is sent once it holds this many actions."
                    + " Changes of one document that wait in the same bulk go as its newest alone, so a larger bulk"
                    + " writes a hot document less often.");

    public static final Option<Integer> BULK_MAX_SIZE_MB = Option.of(GROUP, "bulk.max.size.mb",
            ValueType.intInRange(1, 100), 4,
            "A bulk request is sent once it holds this many MiB (of documents). Together with"
                    + " index/max.document.bytes and bulk.max.actions it must fit request.max.size.mb.");

    public static final Option<Integer> REQUEST_MAX_SIZE_MB = Option.of(GROUP, "request.max.size.mb",
            ValueType.intInRange(1, 2_047), 10,
            "The largest HTTP request payload the cluster accepts, in MiB: 10 on the smallest Amazon OpenSearch"
                    + " Service instance types, 100 on most others (http.max_content_length, 100 MB by default, on a"
                    + " cluster of your own). bulk.max.size.mb + index/max.document.bytes + 1 KiB per"
                    + " bulk.max.actions must fit in it, checked before the job starts.");

    public static final Option<Long> BULK_FLUSH_INTERVAL = Option.of(GROUP, "bulk.flush.interval.ms",
            ValueType.positiveMillis(), 200L,
            "A bulk request that is not full is sent once its oldest action has waited this long. Short, so a change"
                    + " is searchable soon after it happens: under load bulks fill up (bulk.max.actions) long before,"
                    + " and while bulk.max.in.flight bulks are out the next one keeps filling.");

    public static final Option<Integer> BULK_MAX_IN_FLIGHT = Option.of(GROUP, "bulk.max.in.flight",
            ValueType.intInRange(1, 16), 2,
            "Bulk requests each sink subtask keeps waiting on OpenSearch at once. A full bulk is sent while earlier"
                    + " ones are still answered, so the job need not wait a round trip per bulk; every checkpoint"
                    + " still waits for all of them. More than the data nodes' write threads only queues there.");

    public static final Option<Integer> BACKOFF_MAX_RETRIES = Option.of(GROUP, "bulk.backoff.max.retries",
            ValueType.intInRange(0, 100), 8,
            "Retries of a bulk request OpenSearch could not take at the moment (the whole request answered 429 or"
                    + " 5xx, or its connection lost; or some actions answered 429 or 503, which alone are sent"
                    + " again), before the job fails and restarts from its last checkpoint; 0 turns retries off.");

    public static final Option<Long> BACKOFF_INITIAL_DELAY = Option.of(GROUP, "bulk.backoff.initial.delay.ms",
            ValueType.positiveMillis(), 100L, "Pause before the first retry; each later pause doubles, up to"
                    + " bulk.backoff.max.delay.ms (less up to 20% jitter).");

    public static final Option<Long> BACKOFF_MAX_DELAY = Option.of(GROUP, "bulk.backoff.max.delay.ms",
            ValueType.positiveMillis(), 10_000L, "Longest pause between two retries, at least"
                    + " bulk.backoff.initial.delay.ms. With the defaults a bulk is retried for about 23 s in all.");

    public static final List<Option<?>> ALL = List.of(ENDPOINT, AUTH_TYPE, USERNAME, PASSWORD, BASIC_OVER_HTTP,
            AWS_REGION, AWS_SERVICE, BULK_MAX_ACTIONS, BULK_MAX_SIZE_MB, REQUEST_MAX_SIZE_MB, BULK_FLUSH_INTERVAL,
            BULK_MAX_IN_FLIGHT, BACKOFF_MAX_RETRIES, BACKOFF_INITIAL_DELAY, BACKOFF_MAX_DELAY);

    private OpenSearchOptions() {}

    static boolean isRegionName(String text) {
        return text.matches("[a-z0-9-]+");
    }

    static boolean isSigningService(String text) {
        return "es".equals(text) || "aoss".equals(text);
    }

    /**
     * One or more comma-separated endpoint URLs. A URL with a user name or password in it parses, so that the
     * caller can reject it without the value being echoed (see {@link OpenSearchConfig}).
     */
    static final class EndpointList extends ValueType<List<URI>> {
        private static final long serialVersionUID = 1L;

        EndpointList() {
            super("one or more http:// or https:// URLs without a path, comma-separated");
        }

        @Override
        public List<URI> parse(String text) {
            List<URI> endpoints = new ArrayList<>();
            for (String part : text.split(",", -1)) {
                endpoints.add(parseOne(part.trim()));
            }
            return List.copyOf(endpoints);
        }

        @Override
        public String format(List<URI> value) {
            return value.stream().map(URI::toString).collect(Collectors.joining(","));
        }

        private static URI parseOne(String text) {
            try {
                URI uri = new URI(text);
                String scheme = uri.getScheme();
                boolean http = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
                boolean noPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() || "/".equals(uri.getRawPath());
                if (!http || uri.getHost() == null || !noPath || uri.getRawQuery() != null
                        || uri.getRawFragment() != null) {
                    throw new IllegalArgumentException();
                }
                return uri;
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(e);
            }
        }
    }

    /** Text taken exactly as given: a password may begin or end with a space. */
    static final class Verbatim extends ValueType<String> {
        private static final long serialVersionUID = 1L;

        Verbatim(String description) {
            super(description);
        }

        @Override
        public String parse(String text) {
            return text;
        }
    }
}
