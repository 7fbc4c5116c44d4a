package dev.searchsync.opensearch;

import dev.searchsync.config.OpenSearchConfig;
import dev.searchsync.model.DocumentAction;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;

import java.util.Objects;

/**
 * The job's OpenSearch sink. Its own rather than the Flink OpenSearch connector's, whose writer sends one bulk at a
 * time and waits for its answer, hands every document to the REST high-level client to be parsed and written again
 * (turning decimals into doubles), and cannot drop a change that a newer one of the same document replaces before
 * the bulk leaves. At least once: every checkpoint waits until all actions before it are answered, and a replay
 * after a restart is harmless because each action carries its external version (or, a create, its event's id).
 */
public final class BulkSink implements Sink<DocumentAction> {
    private static final long serialVersionUID = 1L;

    private final OpenSearchConfig config;
    private final RejectedActionHandler.Factory rejected;

    /** Actions OpenSearch refuses for their content go to {@code rejected}. */
    BulkSink(OpenSearchConfig config, RejectedActionHandler.Factory rejected) {
        this.config = Objects.requireNonNull(config);
        this.rejected = Objects.requireNonNull(rejected);
    }

    @Override
    public SinkWriter<DocumentAction> createWriter(InitContext context) {
        BulkOutcomeInspector inspector = BulkOutcomeInspector.on(context.metricGroup(),
                rejected.create(context.metricGroup()));
        return new BulkWriter(BulkTransport.over(OpenSearchSinks.restClient(config).build()),
                context.getMailboxExecutor(), context.getProcessingTimeService(), context.metricGroup(), inspector,
                config.bulkMaxActions(), config.bulkMaxSizeMb() * 1024L * 1024L, config.bulkFlushIntervalMs(),
                config.bulkMaxInFlight());
    }
}
