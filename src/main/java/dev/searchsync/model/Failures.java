package dev.searchsync.model;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/** The one side output every step before the sink puts what it cannot pass on into, bound for the dead letters. */
public final class Failures {
    /** Failed changes, with the stage they failed at. */
    public static final OutputTag<FailedChange> TAG =
            new OutputTag<>("failures", TypeInformation.of(FailedChange.class));

    private Failures() {}
}
