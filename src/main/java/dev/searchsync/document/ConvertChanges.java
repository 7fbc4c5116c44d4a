package dev.searchsync.document;

import dev.searchsync.change.ChangeRecord;
import dev.searchsync.failure.FailedChange;
import dev.searchsync.failure.FailureStage;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The job's conversion step. One bad item must neither stop the job nor vanish: every change either comes out as a
 * {@link DocumentChange} or goes to {@link #FAILURES} with the reason, and both are counted.
 */
public class ConvertChanges extends ProcessFunction<ChangeRecord, DocumentChange> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ConvertChanges.class);

    /** Changes that could not be converted, stage {@link FailureStage#CONVERT}, with the original change. */
    public static final OutputTag<FailedChange> FAILURES =
            new OutputTag<>("conversion-failures", TypeInformation.of(FailedChange.class));

    private final String index;
    private final KeySchemaSource keySchemaSource;
    private final List<String> include;
    private final List<String> exclude;

    private transient ItemConverter converter;
    private transient Counter changesConverted;
    private transient Counter conversionFailures;

    /**
     * @param include top-level attributes to keep; empty keeps all
     * @param exclude top-level attributes to drop
     */
    public ConvertChanges(String index, KeySchemaSource keySchemaSource, Collection<String> include,
            Collection<String> exclude) {
        this.index = Objects.requireNonNull(index);
        this.keySchemaSource = Objects.requireNonNull(keySchemaSource);
        this.include = List.copyOf(include);
        this.exclude = List.copyOf(exclude);
    }

    @Override
    public void open(OpenContext openContext) {
        KeySchema keySchema = keySchemaSource.keySchema();
        converter = new ItemConverter(index, keySchema, include, exclude);
        LOG.info("Converting changes to documents of index '{}' keyed by {} ({})", index, keySchema, keySchemaSource);
        changesConverted = getRuntimeContext().getMetricGroup().counter("changesConverted");
        conversionFailures = getRuntimeContext().getMetricGroup().counter("conversionFailures");
    }

    @Override
    public void processElement(ChangeRecord change, Context ctx, Collector<DocumentChange> out) {
        if (change.getDecodeError() != null) {
            conversionFailures.inc();
            ctx.output(FAILURES, FailedChange.of(change, FailureStage.DECODE,
                    new ConversionException("Stream record could not be read: " + change.getDecodeError(), null),
                    ctx.timerService().currentProcessingTime()));
            return;
        }
        DocumentChange document;
        try {
            document = converter.convert(change);
        } catch (RuntimeException e) {
            if (conversionFailures.getCount() == 0) {
                // Keys and the error's kind only: the message can quote the item's values, which stay in the letter.
                LOG.warn("First change that could not be converted (later ones are only counted in"
                        + " conversionFailures and sent to the failure output): event {} of table {}, keys {}: {}",
                        change.getEventId(), change.getTableName(), change.getKeys(), e.getClass().getSimpleName());
            }
            conversionFailures.inc();
            ctx.output(FAILURES, FailedChange.of(change, FailureStage.CONVERT, e,
                    ctx.timerService().currentProcessingTime()));
            return;
        }
        // Outside the try: an exception thrown downstream of a chained collect is not this change's fault.
        changesConverted.inc();
        out.collect(document);
    }

    /** Test hook: metric groups in test harnesses do not keep what is registered. */
    long changesConvertedCount() {
        return changesConverted.getCount();
    }

    /** Test hook, as {@link #changesConvertedCount()}. */
    long conversionFailureCount() {
        return conversionFailures.getCount();
    }
}
