package dev.searchsync.opensearch;

import dev.searchsync.config.AuthType;
import dev.searchsync.config.InvalidConfigurationException;
import dev.searchsync.config.OpenSearchConfig;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Group {@code opensearch}: defaults, combinations that make no sense, and a password that never shows. */
class OpenSearchConfigTest {
    private static final String PASSWORD = "Tr0ub4dor&3-config-secret";

    @Test
    void defaultsApplyWhenOnlyTheEndpointIsGiven() {
        OpenSearchConfig config = TestConfigs.opensearch("endpoint", "https://search.example.com");
        assertThat(config.endpoints()).containsExactly(URI.create("https://search.example.com"));
        assertThat(config.authType()).isEqualTo(AuthType.NONE);
        assertThat(config.awsService()).isEqualTo("es");
        assertThat(config.awsRegion()).isEmpty();
        assertThat(config.bulkMaxActions()).isEqualTo(2000);
        assertThat(config.bulkMaxSizeMb()).isEqualTo(4);
        assertThat(config.bulkFlushIntervalMs()).isEqualTo(200);
        assertThat(config.bulkMaxInFlight()).isEqualTo(2);
        assertThat(config.backoffMaxRetries()).isEqualTo(8);
        assertThat(config.backoffInitialDelayMs()).isEqualTo(100);
    }

    @Test
    void severalEndpointsAreReadInOrder() {
        OpenSearchConfig config = TestConfigs.opensearch("endpoint", "https://a.example.com:9200, http://b.example.com");
        assertThat(config.endpoints())
                .containsExactly(URI.create("https://a.example.com:9200"), URI.create("http://b.example.com"));
        assertThat(OpenSearchSinks.hosts(config)).extracting(Object::toString)
                .containsExactly("https://a.example.com:9200", "http://b.example.com");
    }

    @Test
    void missingEndpointIsNamed() {
        assertProblems(new String[] {"auth.type", "NONE"},
                "property group 'opensearch', key 'endpoint': missing, expected one or more http:// or https://"
                        + " URLs without a path, comma-separated");
    }

    @Test
    void endpointWithAPathOrAnotherSchemeIsRefused() {
        assertProblems(new String[] {"endpoint", "https://a.example.com,ftp://b.example.com"},
                "property group 'opensearch', key 'endpoint': got 'https://a.example.com,ftp://b.example.com',"
                        + " expected one or more http:// or https:// URLs without a path, comma-separated");
        assertProblems(new String[] {"endpoint", "https://a.example.com/search"},
                "property group 'opensearch', key 'endpoint': got 'https://a.example.com/search',"
                        + " expected one or more http:// or https:// URLs without a path, comma-separated");
    }

    @Test
    void credentialsInTheEndpointAreRefusedWithoutEchoingThem() {
        assertProblems(new String[] {"endpoint", "https://admin:" + PASSWORD + "@search.example.com"},
                "property group 'opensearch': key 'endpoint' has a user name or password in a URL, expected"
                        + " credentials only in auth.username and auth.password (auth.type=BASIC)");
    }

    @Test
    void basicNeedsUserNameAndPassword() {
        assertProblems(new String[] {"endpoint", "https://s.example.com", "auth.type", "BASIC"},
                "property group 'opensearch', key 'auth.username': got nothing, expected a user name with"
                        + " auth.type=BASIC",
                "property group 'opensearch', key 'auth.password': got nothing, expected a password with"
                        + " auth.type=BASIC");
    }

    @Test
    void basicWithBothIsValidAndKeepsThePasswordVerbatim() {
        OpenSearchConfig config = TestConfigs.opensearch("endpoint", "https://s.example.com", "auth.type", "basic",
                "auth.username", "searchsync", "auth.password", " " + PASSWORD);
        assertThat(config.authType()).isEqualTo(AuthType.BASIC);
        assertThat(config.username()).isEqualTo("searchsync");
        assertThat(config.password()).isEqualTo(" " + PASSWORD);
    }

    @Test
    void credentialsWithAnotherAuthTypeAreProblemsAndThePasswordIsNotShown() {
        assertProblems(new String[] {"endpoint", "https://s.example.com", "auth.type", "AWS_SIGV4",
                "auth.username", "searchsync", "auth.password", PASSWORD},
                "property group 'opensearch', key 'auth.username': got 'searchsync', expected no user name unless"
                        + " auth.type=BASIC (auth.type is AWS_SIGV4)",
                "property group 'opensearch', key 'auth.password': got a value (not shown), expected no password"
                        + " unless auth.type=BASIC (auth.type is AWS_SIGV4)");
    }

    @Test
    void passwordWithoutAuthTypeIsAProblem() {
        assertProblems(new String[] {"endpoint", "https://s.example.com", "auth.password", PASSWORD},
                "property group 'opensearch', key 'auth.password': got a value (not shown), expected no password"
                        + " unless auth.type=BASIC (auth.type is NONE)");
    }

    @Test
    void awsKeysWithoutSigV4AreProblems() {
        assertProblems(new String[] {"endpoint", "https://s.example.com", "aws.region", "eu-west-1",
                "aws.service", "aoss"},
                "property group 'opensearch', key 'aws.region': got 'eu-west-1', expected no region unless"
                        + " auth.type=AWS_SIGV4 (auth.type is NONE)",
                "property group 'opensearch', key 'aws.service': got 'aoss', expected no service unless"
                        + " auth.type=AWS_SIGV4 (auth.type is NONE)");
    }

    @Test
    void sigV4TakesRegionAndService() {
        OpenSearchConfig config = TestConfigs.opensearch("endpoint", "https://s.example.com", "auth.type",
                "AWS_SIGV4", "aws.region", "eu-west-1", "aws.service", "aoss");
        assertThat(config.awsRegion()).contains("eu-west-1");
        assertThat(config.awsService()).isEqualTo("aoss");
    }

    @Test
    void unknownServiceAndAuthTypeAreNamedWithoutFollowUpProblems() {
        assertProblems(new String[] {"endpoint", "https://s.example.com", "auth.type", "KERBEROS",
                "auth.username", "x", "aws.service", "opensearch"},
                "property group 'opensearch', key 'auth.type': got 'KERBEROS', expected one of NONE, BASIC,"
                        + " AWS_SIGV4",
                "property group 'opensearch', key 'aws.service': got 'opensearch', expected es (Amazon OpenSearch"
                        + " Service) or aoss (Amazon OpenSearch Serverless)");
    }

    @Test
    void bulkLimitsAreChecked() {
        assertProblems(new String[] {"endpoint", "https://s.example.com", "bulk.max.actions", "0",
                "bulk.max.size.mb", "500", "bulk.flush.interval.ms", "-1", "bulk.backoff.max.retries", "x",
                "bulk.backoff.initial.delay.ms", "0"},
                "property group 'opensearch', key 'bulk.max.actions': got '0', expected a whole number from 1 to"
                        + " 100000",
                "property group 'opensearch', key 'bulk.max.size.mb': got '500', expected a whole number from 1 to"
                        + " 100",
                "property group 'opensearch', key 'bulk.flush.interval.ms': got '-1', expected a positive whole"
                        + " number of milliseconds",
                "property group 'opensearch', key 'bulk.backoff.max.retries': got 'x', expected a whole number"
                        + " from 0 to 100",
                "property group 'opensearch', key 'bulk.backoff.initial.delay.ms': got '0', expected a positive"
                        + " whole number of milliseconds");
    }

    @Test
    void basicOverPlainHttpIsRefusedWithoutEchoingThePassword() {
        assertThatThrownBy(() -> TestConfigs.opensearch("endpoint", "https://a.example.com,http://s.example.com",
                        "auth.type", "BASIC", "auth.username", "searchsync", "auth.password", PASSWORD))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> {
                    assertThat(e.problems()).singleElement().asString()
                            .startsWith("property group 'opensearch': ")
                            .contains("BASIC", "http://s.example.com")
                            .doesNotContain("https://a.example.com");
                    assertThat(e.getMessage()).doesNotContain(PASSWORD);
                });
    }

    @Test
    void basicOverPlainHttpOnlyWhenExplicitlyAllowed() {
        OpenSearchConfig config = TestConfigs.opensearch("endpoint", "http://127.0.0.1:9200", "auth.type", "BASIC",
                "auth.username", "searchsync", "auth.password", PASSWORD, "auth.basic.allow.http", "TRUE");
        assertThat(config.endpoints()).containsExactly(URI.create("http://127.0.0.1:9200"));
        assertProblems(new String[] {"endpoint", "http://127.0.0.1:9200", "auth.basic.allow.http", "true"},
                "property group 'opensearch', key 'auth.basic.allow.http': got 'true', expected it only with"
                        + " auth.type=BASIC (auth.type is NONE)");
        assertProblems(new String[] {"endpoint", "https://s.example.com", "auth.type", "BASIC", "auth.username",
                        "u", "auth.password", PASSWORD, "auth.basic.allow.http", "yes"},
                "property group 'opensearch', key 'auth.basic.allow.http': got 'yes', expected true or false");
        assertProblems(new String[] {"endpoint", "http://s.example.com", "auth.type", "BASIC", "auth.username",
                        "u", "auth.password", PASSWORD},
                "property group 'opensearch': auth.type=BASIC would send the password readable to anyone on the"
                        + " network path to http://s.example.com, expected https:// endpoints, or"
                        + " auth.basic.allow.http=true where plain http is acceptable (a cluster on the same host)");
    }

    @Test
    void requestPayloadLimitDefaultsToTheSmallestInstanceTypes() {
        assertThat(TestConfigs.opensearch("endpoint", "https://s.example.com").requestMaxSizeMb()).isEqualTo(10);
        assertThat(TestConfigs.opensearch("endpoint", "https://s.example.com", "request.max.size.mb", "100")
                .requestMaxSizeMb()).isEqualTo(100);
        assertProblems(new String[] {"endpoint", "https://s.example.com", "request.max.size.mb", "0"},
                "property group 'opensearch', key 'request.max.size.mb': got '0', expected a whole number from 1"
                        + " to 2047");
    }

    @Test
    void toStringNeverShowsThePassword() {
        OpenSearchConfig config = TestConfigs.opensearch("endpoint", "https://s.example.com", "auth.type", "BASIC",
                "auth.username", "searchsync", "auth.password", PASSWORD);
        assertThat(config.toString()).doesNotContain(PASSWORD).contains("username=searchsync", "password=(set)");
        assertThat(new AuthenticatingRestClientFactory(config).toString()).doesNotContain(PASSWORD);
    }

    private static void assertProblems(String[] keysAndValues, String... expected) {
        assertThatThrownBy(() -> TestConfigs.opensearch(keysAndValues))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> {
                    assertThat(e.problems()).containsExactly(expected);
                    assertThat(e.getMessage()).doesNotContain(PASSWORD);
                });
    }
}
