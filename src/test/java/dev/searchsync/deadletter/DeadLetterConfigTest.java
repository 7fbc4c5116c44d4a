package dev.searchsync.deadletter;

import dev.searchsync.config.ConfigReader;
import dev.searchsync.config.DeadLetterConfig;
import dev.searchsync.config.DeadLetterOptions;
import dev.searchsync.config.InvalidConfigurationException;
import dev.searchsync.config.PropertyGroups;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Group {@code deadletter}: an s3:// or file:// prefix, checked before the job starts, in the house format. */
class DeadLetterConfigTest {
    private static final String EXPECTED = "expected an s3://bucket/prefix, s3a://bucket/prefix or"
            + " file:///absolute/path URI";

    @Test
    void defaultsToALocalFolderAndNoRedrive() {
        DeadLetterConfig config = read(Map.of());
        assertThat(config.path()).isEqualTo("file:///tmp/searchsync/dead-letters");
        assertThat(config.redrivePath()).isEmpty();
        assertThat(DeadLetterOptions.PATH.defaultText()).isEqualTo("file:///tmp/searchsync/dead-letters");
    }

    @Test
    void acceptsS3AndFilePrefixesWithoutTheirTrailingSlash() {
        assertThat(read(Map.of("path", "s3://my-bucket/searchsync/dead-letters/")).path())
                .isEqualTo("s3://my-bucket/searchsync/dead-letters");
        assertThat(read(Map.of("path", " S3A://my.bucket.example ")).path()).isEqualTo("s3a://my.bucket.example");
        assertThat(read(Map.of("path", "s3://my-bucket/")).path()).isEqualTo("s3://my-bucket");
        assertThat(read(Map.of("path", "file:///var/lib/searchsync/dl//")).path())
                .isEqualTo("file:///var/lib/searchsync/dl");
        assertThat(read(Map.of("path", "file:/tmp/dl")).path()).isEqualTo("file:/tmp/dl");
        assertThat(read(Map.of("path", "file:///")).path()).isEqualTo("file:///");
        DeadLetterConfig both = read(Map.of("path", "s3://bk1/dead", "redrive.path", "s3://bk1/redrive/"));
        assertThat(both.redrivePath()).contains("s3://bk1/redrive");
        assertThat(read(Map.of("path", "s3://bk1/dl", "redrive.path", "s3://bk1/dl-redrive")).redrivePath())
                .contains("s3://bk1/dl-redrive");
    }

    @Test
    void otherSchemesAndMalformedPrefixesAreNamed() {
        for (String bad : new String[] {"hdfs://namenode/dl", "/tmp/dead-letters", "dead-letters", "s3:bucket/x",
                "s3://Bad_Bucket/x", "s3://bucket:9000/x", "s3://key@bucket/x", "s3://bucket/x?versionId=1",
                "s3:///prefix", "s3://bkt/x//y", "file://host/tmp/x", "file:relative/x", "https://bucket.s3.amazonaws.com/x",
                "s3://ab/x", "s3://192.168.1.1/x"}) {
            assertThatThrownBy(() -> read(Map.of("path", bad)))
                    .as(bad)
                    .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems())
                            .containsExactly("property group 'deadletter', key 'path': got '" + bad + "', "
                                    + EXPECTED));
        }
    }

    @Test
    void badRedrivePathIsNamed() {
        assertThatThrownBy(() -> read(Map.of("redrive.path", "gs://bucket/x")))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems())
                        .containsExactly("property group 'deadletter', key 'redrive.path': got 'gs://bucket/x', "
                                + EXPECTED));
    }

    @Test
    void redrivePathMustStayApartFromThePath() {
        String message = "property group 'deadletter', key 'redrive.path': got '%s', expected a prefix apart from"
                + " path ('%s'): dead letters written under it would be redriven again at once";
        for (String[] pair : new String[][] {
                {"s3://bkt/dl", "s3://bkt/dl/"},
                {"s3://bkt/dl", "s3a://bkt/dl/redrive"},
                {"s3://bkt/dl/x", "s3://bkt/dl"},
                {"s3://bkt", "s3://bkt/redrive"},
                {"file:///tmp/dl", "file:/tmp/dl/r"},
                {"file:///", "file:///tmp/r"}}) {
            assertThatThrownBy(() -> read(Map.of("path", pair[0], "redrive.path", pair[1])))
                    .as(pair[0] + " / " + pair[1])
                    .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems())
                            .containsExactly(String.format(message, pair[1], read(Map.of("path", pair[0])).path())));
        }
    }

    @Test
    void unknownKeysSuggestTheNearestOne() {
        ConfigReader reader = new ConfigReader(PropertyGroups.of(Map.of("deadletter", Map.of("pth", "s3://bkt/x"))));
        reader.rejectUnknown(DeadLetterOptions.ALL);
        assertThatThrownBy(reader::throwIfInvalid)
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems())
                        .containsExactly("property group 'deadletter', key 'pth': unknown key, did you mean 'path'?"
                                + " expected one of path, redrive.path"));
    }

    @Test
    void programmaticConfigIsCheckedToo() {
        assertThat(DeadLetterConfig.of("s3://bucket/dl/").path()).isEqualTo("s3://bucket/dl");
        assertThatThrownBy(() -> DeadLetterConfig.of("ftp://x/y"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'ftp://x/y' is not an s3://bucket/prefix, s3a://bucket/prefix or file:///absolute/path URI");
    }

    private static DeadLetterConfig read(Map<String, String> values) {
        ConfigReader reader = new ConfigReader(PropertyGroups.of(Map.of("deadletter", values)));
        reader.rejectUnknown(DeadLetterOptions.ALL);
        DeadLetterConfig config = DeadLetterConfig.read(reader);
        reader.throwIfInvalid();
        return config;
    }
}
