package dev.searchsync.opensearch;

import java.util.HashMap;
import java.util.Map;

/**
 * Puts a key pair where the AWS SDK's default chain looks first (system properties aws.accessKeyId and
 * aws.secretAccessKey) and puts back what was there, so the code under test resolves credentials the production way.
 */
final class AwsTestCredentials implements AutoCloseable {
    private static final String[] KEYS = {"aws.accessKeyId", "aws.secretAccessKey", "aws.sessionToken"};

    private final Map<String, String> saved = new HashMap<>();

    private AwsTestCredentials(String accessKeyId, String secretKey) {
        for (String key : KEYS) {
            saved.put(key, System.getProperty(key));
        }
        System.setProperty("aws.accessKeyId", accessKeyId);
        System.setProperty("aws.secretAccessKey", secretKey);
        System.clearProperty("aws.sessionToken");
    }

    static AwsTestCredentials use(String accessKeyId, String secretKey) {
        return new AwsTestCredentials(accessKeyId, secretKey);
    }

    @Override
    public void close() {
        saved.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
    }
}
