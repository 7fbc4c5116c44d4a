package dev.searchsync.opensearch;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The table of refused actions in docs/operations.md says what the code does, row for row. */
class ActionFailuresDocsTest {
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z_]+)` \\| (done|dead letter|job fails) \\|",
            Pattern.MULTILINE);

    @Test
    void operationsDocListsEveryTypeWithItsOutcome() throws Exception {
        String doc = Files.readString(Path.of("docs", "operations.md"));
        Map<String, ActionFailures.Outcome> documented = new LinkedHashMap<>();
        Matcher row = ROW.matcher(doc.substring(doc.indexOf("### What a refused action means")));
        while (row.find()) {
            documented.put(row.group(1), outcome(row.group(2)));
        }
        Map<String, ActionFailures.Outcome> coded = new LinkedHashMap<>();
        ActionFailures.RULES.forEach(rule -> coded.put(rule.type, rule.outcome));

        assertThat(documented).isEqualTo(coded);
    }

    private static ActionFailures.Outcome outcome(String words) {
        switch (words) {
            case "done":
                return ActionFailures.Outcome.ALREADY_NEWER;
            case "dead letter":
                return ActionFailures.Outcome.DEAD_LETTER;
            default:
                return ActionFailures.Outcome.FAIL;
        }
    }
}
