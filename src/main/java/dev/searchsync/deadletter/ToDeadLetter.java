package dev.searchsync.deadletter;

import dev.searchsync.model.FailedChange;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/** Turns the failure side output into dead letters, stamped with this job and subtask, and counts them. */
public final class ToDeadLetter extends RichMapFunction<FailedChange, DeadLetter> {
    private static final long serialVersionUID = 1L;

    private transient JobInfo job;
    private transient DeadLetterMetrics metrics;

    @Override
    public void open(OpenContext openContext) {
        job = JobInfo.of(getRuntimeContext());
        metrics = new DeadLetterMetrics(getRuntimeContext().getMetricGroup());
    }

    @Override
    public DeadLetter map(FailedChange failed) {
        DeadLetter letter = DeadLetter.of(failed, job);
        metrics.count(letter);
        return letter;
    }
}
