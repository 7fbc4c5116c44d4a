package dev.searchsync.it;

import dev.searchsync.aws.AwsClientSettings;
import dev.searchsync.aws.StreamReference;
import dev.searchsync.cdc.dynamodb.ChangeRecord;
import dev.searchsync.cdc.dynamodb.DynamoDbStreamsSource;
import dev.searchsync.config.StreamChangePolicy;
import dev.searchsync.source.ShardStreamSource;
import dev.searchsync.testbed.MotoExtension;
import dev.searchsync.testbed.MotoServer;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A table deleted and created again under its name gets a new stream (moto gives its one shard the same id as the
 * old stream's). A savepoint of the old stream, restored with the new stream configured, stops the job naming both;
 * with {@code stream.change.policy=RESTART_FROM_TRIM_HORIZON} the job reads the new stream from its oldest record,
 * and nothing of the old.
 */
class StreamReplacedIT {
    private static final String TABLE = "replaced";

    @RegisterExtension
    static final MiniClusterExtension FLINK = Clusters.twoSlots();

    @RegisterExtension
    static final MotoExtension MOTO = new MotoExtension();

    @TempDir
    Path savepoints;

    @Test
    void restoreOntoARecreatedTableStopsOrReadsTheNewStreamAsConfigured() throws Exception {
        MotoServer moto = MOTO.server();
        AwsClientSettings aws = SourceTestJobs.aws(moto, moto.endpoint());
        String oldStream = moto.createTableWithStream(TABLE, OrderedWorkload.HASH_KEY, null);
        put(moto, "old", 1, 20);

        JobClient first = start(source(aws, oldStream, StreamChangePolicy.FAIL), "replaced-first", null);
        SourceTestJobs.await("the old stream read", Duration.ofMinutes(1),
                () -> keys("replaced-first").size() == 20, first);
        String savepoint = first.stopWithSavepoint(false, savepoints.toUri().toString(),
                SavepointFormatType.CANONICAL).get(1, TimeUnit.MINUTES);

        moto.client().deleteTable(b -> b.tableName(TABLE));
        moto.client().waiter().waitUntilTableNotExists(b -> b.tableName(TABLE));
        String newStream = moto.createTableWithStream(TABLE, OrderedWorkload.HASH_KEY, null);
        assertThat(newStream).isNotEqualTo(oldStream);
        put(moto, "new", 1, 10);

        // The default: the job stops, naming both streams and the choices, and reads nothing.
        JobClient refused = start(source(aws, newStream, StreamChangePolicy.FAIL), "replaced-refused", savepoint);
        assertThatThrownBy(() -> refused.getJobExecutionResult().get(1, TimeUnit.MINUTES))
                .isInstanceOf(ExecutionException.class)
                .satisfies(e -> assertThat(stackTrace(e)).contains(
                        "The snapshot this job restored was reading the stream " + oldStream,
                        "the configuration now names the stream " + newStream,
                        "source/stream.change.policy=RESTART_FROM_TRIM_HORIZON"));
        assertThat(keys("replaced-refused")).isEmpty();

        // The choice: the new stream from its oldest record; the restored shard of the old one, whose id the new
        // stream's shard has too, is dropped unread rather than read against either stream.
        JobClient switched = start(source(aws, newStream, StreamChangePolicy.RESTART_FROM_TRIM_HORIZON),
                "replaced-switched", savepoint);
        try {
            SourceTestJobs.await("the new stream read", Duration.ofMinutes(1),
                    () -> keys("replaced-switched").size() == 10, switched);
            put(moto, "new", 11, 15);
            SourceTestJobs.await("new changes read", Duration.ofMinutes(1),
                    () -> keys("replaced-switched").size() == 15, switched);
            Thread.sleep(1_000);
            assertThat(keys("replaced-switched")).isEqualTo(expected("new", 1, 15));
        } finally {
            switched.cancel().get();
        }
    }

    private static ShardStreamSource<Record, ChangeRecord> source(AwsClientSettings aws, String streamArn,
            StreamChangePolicy policy) {
        return DynamoDbStreamsSource.create(StreamReference.ofArn(streamArn), aws,
                SyncJobs.fastPolling().withStreamChangePolicy(policy));
    }

    private static JobClient start(ShardStreamSource<Record, ChangeRecord> source, String run, String savepoint)
            throws Exception {
        StreamExecutionEnvironment env = SourceTestJobs.environment();
        SourceTestJobs.changes(env, source)
                .map(new KeyOfChange()).returns(Types.STRING).uid("key")
                .sinkTo(new CollectingSink<>(run)).uid("collect");
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(run);
        if (savepoint != null) {
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
        }
        return env.executeAsync(graph);
    }

    private static void put(MotoServer moto, String prefix, int from, int to) {
        for (int i = from; i <= to; i++) {
            String key = prefix + "-" + i;
            moto.client().putItem(b -> b.tableName(TABLE)
                    .item(Map.of(OrderedWorkload.HASH_KEY, AttributeValue.fromS(key))));
        }
    }

    private static Set<String> keys(String run) {
        return CollectingSink.collected(run).stream().map(String.class::cast).collect(Collectors.toSet());
    }

    private static Set<String> expected(String prefix, int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> prefix + "-" + i)
                .collect(Collectors.toCollection(HashSet::new));
    }

    private static String stackTrace(Throwable failure) {
        StringWriter text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    /** The item's key, which tells which table's stream a change came from. */
    private static final class KeyOfChange implements MapFunction<ChangeRecord, String> {
        @Override
        public String map(ChangeRecord change) {
            return KeyOf.key(change);
        }
    }
}
