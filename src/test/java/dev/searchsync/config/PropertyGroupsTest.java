package dev.searchsync.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local JSON file and the MSF runtime give the job the same property groups. */
class PropertyGroupsTest {
    @TempDir
    Path dir;

    @Test
    void readsTheObjectForm() throws Exception {
        Path file = write("{\"source\": {\"table.name\": \"Orders\", \"poll.max.records\": 500}}");
        assertThat(PropertyGroups.fromJsonFile(file).asMap())
                .isEqualTo(Map.of("source", Map.of("table.name", "Orders", "poll.max.records", "500")));
    }

    @Test
    void readsTheFormTheMsfApiUses() throws Exception {
        Path file = write("[{\"PropertyGroupId\": \"source\", \"PropertyMap\": {\"table.name\": \"Orders\"}}]");
        assertThat(PropertyGroups.fromJsonFile(file).asMap()).isEqualTo(Map.of("source", Map.of("table.name", "Orders")));
    }

    @Test
    void matchesWhatTheRuntimeHandsOver() throws Exception {
        Properties properties = new Properties();
        properties.setProperty("table.name", "Orders");
        Path file = write("{\"source\": {\"table.name\": \"Orders\"}}");
        assertThat(PropertyGroups.fromProperties(Map.of("source", properties)).asMap())
                .isEqualTo(PropertyGroups.fromJsonFile(file).asMap());
    }

    @Test
    void knowWhereTheyWereRead() throws Exception {
        assertThat(PropertyGroups.fromProperties(Map.of()).origin()).isEqualTo(PropertyGroups.Origin.MANAGED_FLINK);
        assertThat(PropertyGroups.fromJsonFile(write("{}")).origin()).isEqualTo(PropertyGroups.Origin.LOCAL);
        assertThat(PropertyGroups.of(Map.of()).origin()).isEqualTo(PropertyGroups.Origin.LOCAL);
    }

    @Test
    void nestedValuesAreRefusedWithTheirPlace() throws Exception {
        Path file = write("{\"source\": {\"table.name\": {\"x\": 1}}}");
        assertThatThrownBy(() -> PropertyGroups.fromJsonFile(file))
                .hasMessageContaining("property group 'source', key 'table.name' must be a string, number or boolean");
    }

    @Test
    void unreadableFileIsNamed() {
        Path missing = dir.resolve("missing.json");
        assertThatThrownBy(() -> PropertyGroups.fromJsonFile(missing))
                .hasMessageContaining("Cannot read the property groups file " + missing);
    }

    private Path write(String json) throws Exception {
        Path file = dir.resolve("groups.json");
        Files.writeString(file, json);
        return file;
    }
}
