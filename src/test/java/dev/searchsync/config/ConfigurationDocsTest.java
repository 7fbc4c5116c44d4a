package dev.searchsync.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/configuration.md describes every option, with its default, under its property group. */
class ConfigurationDocsTest {
    @Test
    void everyOptionIsDocumentedWithItsDefault() throws Exception {
        String docs = Files.readString(Path.of("docs/configuration.md"));
        List<String> missing = new ArrayList<>();
        for (Option<?> option : JobConfig.ALL_OPTIONS) {
            int section = docs.indexOf("## Property group `" + option.group() + "`");
            int nextSection = docs.indexOf("\n## ", section + 1);
            String groupDocs = section < 0 ? "" : docs.substring(section, nextSection < 0 ? docs.length() : nextSection);
            String row = "| `" + option.key() + "` |";
            int at = groupDocs.indexOf(row);
            if (at < 0) {
                missing.add(option + " (no row)");
                continue;
            }
            String line = groupDocs.substring(at, groupDocs.indexOf('\n', at));
            String expectedDefault = option.defaultText().isEmpty() ? "—" : "`" + option.defaultText() + "`";
            if (!line.contains("| " + expectedDefault + " |")) {
                missing.add(option + " (default should read " + expectedDefault + ")");
            }
        }
        assertThat(missing).as("options missing from docs/configuration.md").isEmpty();
    }

    @Test
    void docsNameNoOptionThatDoesNotExist() throws Exception {
        String docs = Files.readString(Path.of("docs/configuration.md"));
        var rows = Pattern.compile("(?m)^\\| `([a-z0-9.]+)` \\|").matcher(docs);
        List<String> unknown = new ArrayList<>();
        while (rows.find()) {
            String key = rows.group(1);
            if (JobConfig.ALL_OPTIONS.stream().noneMatch(o -> o.key().equals(key))) {
                unknown.add(key);
            }
        }
        assertThat(unknown).as("documented keys that no option defines").isEmpty();
    }
}
