package dev.searchsync.opensearch;

import dev.searchsync.config.OpenSearchOptions;
import dev.searchsync.config.Option;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/_parts/opensearch-group.md describes every option of group {@code opensearch} with its default, in the row
 * format docs/configuration.md uses, until it is merged there (ConfigurationDocsTest then takes over).
 */
class OpenSearchDocsPartTest {
    private static final Path PART = Path.of("docs/_parts/opensearch-group.md");

    @Test
    void everyOptionHasARowWithItsDefault() throws Exception {
        String docs = Files.readString(PART);
        assertThat(docs).contains("## Property group `" + OpenSearchOptions.GROUP + "`");
        List<String> missing = new ArrayList<>();
        for (Option<?> option : OpenSearchOptions.ALL) {
            String row = "| `" + option.key() + "` |";
            int at = docs.indexOf(row);
            if (at < 0) {
                missing.add(option + " (no row)");
                continue;
            }
            String line = docs.substring(at, docs.indexOf('\n', at));
            String expectedDefault = option.defaultText().isEmpty() ? "—" : "`" + option.defaultText() + "`";
            if (!line.contains("| " + expectedDefault + " |")) {
                missing.add(option + " (default should read " + expectedDefault + ")");
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void noRowNamesAKeyThatDoesNotExist() throws Exception {
        Matcher rows = Pattern.compile("(?m)^\\| `([a-z0-9.]+)` \\|").matcher(Files.readString(PART));
        List<String> unknown = new ArrayList<>();
        while (rows.find()) {
            String key = rows.group(1);
            if (OpenSearchOptions.ALL.stream().noneMatch(o -> o.key().equals(key))) {
                unknown.add(key);
            }
        }
        assertThat(unknown).isEmpty();
    }

    @Test
    void theVersioningAndAuthenticationSectionsExist() throws Exception {
        String docs = Files.readString(PART);
        assertThat(docs).contains("### Authentication", "### Versions and conflicts", "version_type=external",
                "external_gte", "versionConflicts", "gc_deletes");
    }
}
