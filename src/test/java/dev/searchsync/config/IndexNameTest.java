package dev.searchsync.config;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Index names: fixed, by event time, by log group; what each gives, matches and is called. */
class IndexNameTest {
    private static final long DAY = Instant.parse("2026-12-01T10:00:00Z").toEpochMilli();

    @Test
    void aFixedNameIsItselfWhateverTheEvent() {
        IndexName name = IndexName.parse("orders").orElseThrow();

        assertThat(name.isPattern()).isFalse();
        assertThat(name.at(DAY)).isEqualTo("orders");
        assertThat(name.wildcard()).isEqualTo("orders");
        assertThat(name.stem()).isEqualTo("orders");
    }

    @Test
    void aLogGroupAndADayNameOneIndexEach() {
        IndexName name = IndexName.parse("cwl-{log_group}-{yyyy.MM.dd}").orElseThrow();

        assertThat(name.isTimeBased()).isTrue();
        assertThat(name.usesLogGroup()).isTrue();
        assertThat(name.at(DAY, "/aws/lambda/Orders")).isEqualTo("cwl-aws-lambda-orders-2026.12.01");
        assertThat(name.at(DAY, "app#1 (prod)")).isEqualTo("cwl-app-1-prod-2026.12.01");
        assertThat(name.wildcard()).isEqualTo("cwl-*-*");
        assertThat(name.stem()).isEqualTo("cwl");
        assertThat(name.toString()).isEqualTo("cwl-{log_group}-{yyyy.MM.dd}");
        assertThat(IndexName.parse(name.toString())).contains(name);
        assertThatThrownBy(() -> name.at(DAY)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aLogGroupAloneNamesOneIndexPerGroup() {
        IndexName name = IndexName.parse("{log_group}-logs").orElseThrow();

        assertThat(name.isTimeBased()).isFalse();
        assertThat(name.at(DAY, "/_private/App")).isEqualTo("private-app-logs");
        assertThat(name.wildcard()).isEqualTo("*-logs");
        assertThat(name.stem()).isEqualTo("logs");
    }

    @Test
    void aLongLogGroupIsCutAndKeepsItsOwnHashSoTwoStillDiffer() {
        String stem = "/aws/lambda/" + "a".repeat(400);
        String first = IndexName.groupPart(stem + "-first");
        String second = IndexName.groupPart(stem + "-second");

        assertThat(first).hasSize(IndexName.MAX_GROUP_CHARS).startsWith("aws-lambda-aaa").matches(".*-[0-9a-f]{8}");
        assertThat(first).isNotEqualTo(second);
        assertThat(IndexOptions.isValidIndexName("cwl-" + first + "-2026.12.01")).isTrue();
    }

    @Test
    void namesThatCannotGiveAValidIndexAreRefused() {
        assertThat(IndexName.parse("cwl-{log_group}-{log_group}")).isEmpty();
        assertThat(IndexName.parse("cwl-{yyyy}-{MM}")).isEmpty();
        assertThat(IndexName.parse("cwl-{LOG_GROUP}")).isEmpty();
        assertThat(IndexName.parse("cwl-{}")).isEmpty();
        assertThat(IndexName.parse("cwl-{yyyy{MM}}")).isEmpty();
        assertThat(IndexName.parse("cwl-}{yyyy")).isEmpty();
        assertThat(IndexName.parse("Cwl-{log_group}")).isEmpty();
        assertThat(IndexName.parse("cwl-{MMM}")).isEmpty();
    }
}
