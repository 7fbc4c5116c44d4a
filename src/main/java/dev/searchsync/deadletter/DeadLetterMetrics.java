package dev.searchsync.deadletter;

import dev.searchsync.metrics.ExportedMetrics;
import dev.searchsync.model.FailureStage;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Counts dead letters by stage ({@code deadLetters.decode}, {@code .convert}, {@code .validate}, {@code .index},
 * {@code .redrive}) and by stage and error type ({@code deadLettersByType.<stage>.<simple type name>}). Reasons are
 * never metric names:
 * they hold ids and values, and would make a new time series for every letter. Error types are bounded too: past
 * {@value #MAX_TYPES} of them, the rest count under {@value #OTHER_TYPE}. All stages together also feed
 * {@link ExportedMetrics#DEAD_LETTERS_PER_SECOND}, the rate the dead-letter alarm on CloudWatch watches.
 */
public final class DeadLetterMetrics {
    static final int MAX_TYPES = 32;
    static final String OTHER_TYPE = "other";
    /** One minute: CloudWatch receives one value a minute, and a single letter keeps the rate above zero that long. */
    static final int RATE_SECONDS = 60;

    private final Map<FailureStage, Counter> byStage = new EnumMap<>(FailureStage.class);
    private final MetricGroup byTypeGroup;
    private final Map<String, Counter> byType = new HashMap<>();
    private final Meter rate;

    public DeadLetterMetrics(MetricGroup operatorGroup) {
        MetricGroup stages = operatorGroup.addGroup("deadLetters");
        for (FailureStage stage : FailureStage.values()) {
            byStage.put(stage, stages.counter(name(stage)));
        }
        byTypeGroup = operatorGroup.addGroup("deadLettersByType");
        rate = ExportedMetrics.exported(operatorGroup)
                .meter(ExportedMetrics.DEAD_LETTERS_PER_SECOND, new MeterView(RATE_SECONDS));
    }

    /** Counts one letter. */
    public void count(DeadLetter letter) {
        FailureStage stage = letter.stage() == null ? FailureStage.DECODE : letter.stage();
        byStage.get(stage).inc();
        rate.markEvent();
        String type = simpleName(letter.getError().getType());
        String key = name(stage) + '/' + type;
        Counter counter = byType.get(key);
        if (counter == null) {
            if (byType.size() >= MAX_TYPES) {
                key = name(stage) + '/' + OTHER_TYPE;
                type = OTHER_TYPE;
                counter = byType.get(key);
            }
            if (counter == null) {
                counter = byTypeGroup.addGroup(name(stage)).counter(type);
                byType.put(key, counter);
            }
        }
        counter.inc();
    }

    /** {@code com.example.Outer$BadThing} becomes {@code BadThing}; OpenSearch's types stay as they are. */
    static String simpleName(String errorType) {
        if (errorType == null || errorType.isBlank()) {
            return "unknown";
        }
        String name = errorType.substring(errorType.lastIndexOf('.') + 1);
        return name.substring(name.lastIndexOf('$') + 1);
    }

    private static String name(FailureStage stage) {
        return stage.name().toLowerCase(Locale.ROOT);
    }
}
