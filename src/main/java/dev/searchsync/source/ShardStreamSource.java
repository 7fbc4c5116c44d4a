package dev.searchsync.source;

import dev.searchsync.config.ShardSourceSettings;

import dev.searchsync.source.client.StreamShardClientFactory;
import dev.searchsync.source.enumerator.ShardEnumeratorState;
import dev.searchsync.source.enumerator.ShardEnumeratorStateSerializer;
import dev.searchsync.source.enumerator.ShardLineage;
import dev.searchsync.source.enumerator.ShardSplitEnumerator;
import dev.searchsync.source.reader.ShardReaderMetrics;
import dev.searchsync.source.reader.ShardRecordEmitter;
import dev.searchsync.source.reader.ShardSourceReader;
import dev.searchsync.source.reader.ShardSplitReader;
import dev.searchsync.source.split.ShardSplit;
import dev.searchsync.source.split.ShardSplitSerializer;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A FLIP-27 source over any sharded stream whose shards have parents (DynamoDB Streams, Kinesis Data Streams):
 * one split per shard, a child read only after its parent and on the same subtask, so per-key order holds
 * across shard rollovers and splits. The service is behind {@link StreamShardClientFactory}.
 *
 * @param <R> the service's record type
 * @param <T> what the source emits
 */
public final class ShardStreamSource<R, T>
        implements Source<T, ShardSplit, ShardEnumeratorState>, ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;

    private final StreamShardClientFactory<R> clientFactory;
    private final ShardRecordConverter<R, T> converter;
    private final ShardSourceSettings settings;

    public ShardStreamSource(
            StreamShardClientFactory<R> clientFactory,
            ShardRecordConverter<R, T> converter,
            ShardSourceSettings settings) {
        this.clientFactory = clientFactory;
        this.converter = converter;
        this.settings = settings;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<T, ShardSplit> createReader(SourceReaderContext context) {
        ShardReaderMetrics metrics = new ShardReaderMetrics(context.metricGroup());
        return new ShardSourceReader<>(
                () -> new ShardSplitReader<>(clientFactory.create(), converter, settings, metrics,
                        System::currentTimeMillis),
                new ShardRecordEmitter<>(),
                context.getConfiguration(),
                context);
    }

    @Override
    public SplitEnumerator<ShardSplit, ShardEnumeratorState> createEnumerator(
            SplitEnumeratorContext<ShardSplit> context) {
        return new ShardSplitEnumerator(context, clientFactory.create(), settings, new ShardLineage());
    }

    @Override
    public SplitEnumerator<ShardSplit, ShardEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<ShardSplit> context, ShardEnumeratorState checkpoint) {
        return new ShardSplitEnumerator(context, clientFactory.create(), settings, ShardLineage.restore(checkpoint));
    }

    @Override
    public SimpleVersionedSerializer<ShardSplit> getSplitSerializer() {
        return ShardSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<ShardEnumeratorState> getEnumeratorCheckpointSerializer() {
        return new ShardEnumeratorStateSerializer();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return converter.producedType();
    }
}
