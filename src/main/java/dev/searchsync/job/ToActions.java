package dev.searchsync.job;

import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.FailedChange;
import dev.searchsync.model.Failure;
import dev.searchsync.model.FailureStage;
import dev.searchsync.model.Failures;
import dev.searchsync.model.RecordMapper;
import dev.searchsync.model.UndecodableRecordException;
import dev.searchsync.validate.DocumentLimits;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;

/**
 * Where an input's records become actions, and the last place the record itself is at hand. One bad record must
 * neither stop the job nor vanish: each record comes out as its actions, or goes to {@link Failures#TAG} whole,
 * with the stage (DECODE, CONVERT, or VALIDATE for a document over a limit) and the reason; all are counted.
 */
public final class ToActions<T> extends ProcessFunction<T, DocumentAction> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ToActions.class);

    private final RecordMapper<T> mapper;
    private final DocumentLimits limits;

    private transient Counter converted;
    private transient Counter conversionFailures;
    private transient Counter invalid;

    public ToActions(RecordMapper<T> mapper, DocumentLimits limits) {
        this.mapper = Objects.requireNonNull(mapper);
        this.limits = Objects.requireNonNull(limits);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        mapper.open(getRuntimeContext());
        converted = getRuntimeContext().getMetricGroup().counter("changesConverted");
        conversionFailures = getRuntimeContext().getMetricGroup().counter("conversionFailures");
        invalid = getRuntimeContext().getMetricGroup().counter("documentsFailingValidation");
    }

    @Override
    public void processElement(T record, Context ctx, Collector<DocumentAction> out) {
        List<DocumentAction> actions;
        try {
            actions = mapper.actions(record);
        } catch (Exception e) {
            FailureStage stage = e instanceof UndecodableRecordException ? FailureStage.DECODE : FailureStage.CONVERT;
            if (conversionFailures.getCount() == 0) {
                // Where it came from and the error's kind only: the message can quote values, which stay in the letter.
                LOG.warn("First record that could not be mapped (later ones are only counted in conversionFailures"
                        + " and sent to the dead letters): {} of {}: {}", stage, mapper.describe(record),
                        e.getClass().getSimpleName());
            }
            conversionFailures.inc();
            ctx.output(Failures.TAG, FailedChange.of(mapper.origin(record), mapper.raw(record), null,
                    Failure.of(stage, e, ctx.timerService().currentProcessingTime())));
            return;
        }
        converted.inc();
        for (DocumentAction action : actions) {
            String problem = action.getDocumentUtf8() == null ? null
                    : limits.problem(action.getDocumentUtf8(), action.getFieldPaths());
            if (problem != null) {
                invalid.inc();
                ctx.output(Failures.TAG, FailedChange.of(action.getOrigin(), mapper.raw(record), action,
                        Failure.of(FailureStage.VALIDATE, DocumentLimits.ERROR_TYPE, problem, 0,
                                ctx.timerService().currentProcessingTime())));
            } else {
                // Outside any try: an exception thrown downstream of a chained collect is not this record's fault.
                out.collect(action);
            }
        }
    }
}
