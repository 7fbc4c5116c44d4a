package dev.searchsync.testmetrics;

import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;

/**
 * Hands an operator under a test harness a metric group that keeps what it registers, so a test reads the counters
 * the operator itself reports (harnesses otherwise give groups that keep nothing).
 */
public final class CapturingTaskMetricGroup extends UnregisteredMetricGroups.UnregisteredTaskMetricGroup {
    private final InterceptingOperatorMetricGroup operator;

    public CapturingTaskMetricGroup(InterceptingOperatorMetricGroup operator) {
        this.operator = operator;
    }

    /** A harness environment whose operator registers its metrics in {@code metrics}. */
    public static MockEnvironment environment(InterceptingOperatorMetricGroup metrics) {
        return new MockEnvironmentBuilder().setMetricGroup(new CapturingTaskMetricGroup(metrics)).build();
    }

    @Override
    public InternalOperatorMetricGroup getOrAddOperator(OperatorID operatorId, String name) {
        return operator;
    }
}
