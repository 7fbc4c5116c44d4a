package dev.searchsync.document;

import dev.searchsync.config.IndexOptions;
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
 * docs/_parts/index-group.md documents group {@code index} in the form docs/configuration.md's own check expects,
 * so the part can be merged in as is.
 */
class IndexDocsTest {
    private static final Path PART = Path.of("docs/_parts/index-group.md");

    @Test
    void everyOptionHasARowWithItsDefault() throws Exception {
        String docs = Files.readString(PART);
        assertThat(docs).startsWith("## Property group `index`\n");
        List<String> missing = new ArrayList<>();
        for (Option<?> option : IndexOptions.ALL) {
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
    void everyRowNamesAnOption() throws Exception {
        Matcher rows = Pattern.compile("(?m)^\\| `([a-z0-9.]+)` \\|").matcher(Files.readString(PART));
        List<String> unknown = new ArrayList<>();
        while (rows.find()) {
            String key = rows.group(1);
            if (IndexOptions.ALL.stream().noneMatch(o -> o.key().equals(key))) {
                unknown.add(key);
            }
        }
        assertThat(unknown).isEmpty();
    }
}
