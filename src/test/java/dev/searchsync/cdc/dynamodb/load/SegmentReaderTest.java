package dev.searchsync.cdc.dynamodb.load;

import dev.searchsync.cdc.dynamodb.ChangeRecord;
import dev.searchsync.cdc.dynamodb.ChangeType;

import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading one segment: every item once as an INSERT at the load's version, resumable after any item, paced. */
class SegmentReaderTest {
    private static final long VERSION = 1_764_583_140_000_000L - 1;

    @Test
    void aSegmentIsReadPageByPageIntoInsertsAtTheLoadsVersion() throws Exception {
        FakeTable table = FakeTable.create("reader-pages", 300);
        SegmentReader reader = reader("reader-pages", 1_000_000);
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(SegmentSplit.start(1, 3, VERSION))));

        List<ChangeRecord> items = readAll(reader, "segment-1-of-3");

        assertThat(items).isNotEmpty().allSatisfy(change -> {
            assertThat(change.getEventName()).isEqualTo(ChangeType.INSERT);
            assertThat(change.getLoadVersion()).isEqualTo(VERSION);
            assertThat(change.getTableName()).isEqualTo("reader-pages");
            assertThat(change.getNewImage()).contains("\"n\":{\"N\":");
            assertThat(change.getKeys()).startsWith("{\"pk\":{\"S\":\"item-");
        });
        assertThat(items).extracting(ChangeRecord::getKeys).doesNotHaveDuplicates();
        // The other segments hold the rest; none of them is read by this split.
        assertThat(items.size()).isBetween(50, 150);
        assertThat(table.scans.get()).isGreaterThan(0);
    }

    @Test
    void aSegmentResumesRightAfterTheLastItemEmitted() throws Exception {
        FakeTable.create("reader-resume", 200);
        SegmentReader first = reader("reader-resume", 1_000_000);
        first.handleSplitsChanges(new SplitsAddition<>(List.of(SegmentSplit.start(0, 2, VERSION))));
        List<ChangeRecord> all = readAll(first, "segment-0-of-2");
        ChangeRecord tenth = all.get(9);

        SegmentReader resumed = reader("reader-resume", 1_000_000);
        resumed.handleSplitsChanges(new SplitsAddition<>(List.of(
                new SegmentSplit(0, 2, VERSION, tenth.getKeys(), 10))));
        List<ChangeRecord> rest = readAll(resumed, "segment-0-of-2");

        assertThat(rest).extracting(ChangeRecord::getKeys)
                .containsExactlyElementsOf(all.subList(10, all.size()).stream().map(ChangeRecord::getKeys)
                        .collect(java.util.stream.Collectors.toList()));
    }

    @Test
    void aSubtaskReadsNoFasterThanItsShareOfTheRate() throws Exception {
        FakeTable.create("reader-pace", 120);
        SegmentReader reader = reader("reader-pace", 100);
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(SegmentSplit.start(0, 1, VERSION))));
        long started = System.nanoTime();

        List<ChangeRecord> items = readAll(reader, "segment-0-of-1");

        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(items).hasSize(120);
        // 100 items may go at once; the next page waits for their second to pass.
        assertThat(millis).isGreaterThanOrEqualTo(950);
    }

    private static SegmentReader reader(String table, double itemsPerSecond) {
        return new SegmentReader(FakeTable.factory(table).create(), table, itemsPerSecond,
                new LoadReaderMetrics(new UnregisteredMetricsGroup()), System::currentTimeMillis);
    }

    /** Fetches until the split finishes. */
    private static List<ChangeRecord> readAll(SegmentReader reader, String splitId) throws Exception {
        List<ChangeRecord> items = new ArrayList<>();
        for (int fetch = 0; fetch < 1_000; fetch++) {
            RecordsWithSplitIds<ChangeRecord> records = reader.fetch();
            String split;
            while ((split = records.nextSplit()) != null) {
                assertThat(split).isEqualTo(splitId);
                ChangeRecord item;
                while ((item = records.nextRecordFromSplit()) != null) {
                    items.add(item);
                }
            }
            if (records.finishedSplits().contains(splitId)) {
                return items;
            }
        }
        throw new AssertionError("segment " + splitId + " never finished");
    }
}
