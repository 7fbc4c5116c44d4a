package dev.searchsync.it;

import dev.searchsync.aws.AwsClientSettings;
import dev.searchsync.aws.StreamReference;
import dev.searchsync.cdc.dynamodb.ChangeRecord;
import dev.searchsync.cdc.dynamodb.DynamoDbStreamsSource;
import dev.searchsync.source.ShardStreamSource;
import dev.searchsync.testbed.MotoServer;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import software.amazon.awssdk.services.dynamodb.model.Record;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Builds the small test pipelines around the real source: source, keyBy, observe, exactly-once sink. */
final class SourceTestJobs {
    private SourceTestJobs() {}

    /** moto's region and credentials, at {@code endpoint} (moto itself, or a proxy in front of it). */
    static AwsClientSettings aws(MotoServer moto, URI endpoint) {
        return new AwsClientSettings(moto.region(), endpoint, AwsClientSettings.CredentialsProvider.STATIC,
                moto.accessKey(), moto.secretKey());
    }

    static ShardStreamSource<Record, ChangeRecord> source(AwsClientSettings aws, String streamArn) {
        return source(aws, streamArn, 1_000);
    }

    static ShardStreamSource<Record, ChangeRecord> source(AwsClientSettings aws, String streamArn, int maxRecordsPerPoll) {
        return DynamoDbStreamsSource.create(
                StreamReference.ofArn(streamArn), aws, SyncJobs.fastPolling(maxRecordsPerPoll));
    }

    static StreamExecutionEnvironment environment() {
        return SyncJobs.environment(500, 2, Duration.ofMillis(500));
    }

    static DataStream<ChangeRecord> changes(StreamExecutionEnvironment env, ShardStreamSource<Record, ChangeRecord> source) {
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "dynamodb-stream").uid("dynamodb-stream");
    }

    static void observeInto(DataStream<ChangeRecord> changes, String run) {
        changes.keyBy(new KeyOf()).map(new ObserveChange()).uid("observe").addSink(new CommittingSink(run)).uid("sink");
    }

    static void await(String what, Duration timeout, BooleanSupplier condition, JobClient job) throws Exception {
        SyncJobs.await(what, timeout, Duration.ofMillis(200), job,
                () -> condition.getAsBoolean() ? List.of() : List.of("not yet"));
    }
}
