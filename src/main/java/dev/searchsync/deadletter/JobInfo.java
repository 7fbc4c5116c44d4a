package dev.searchsync.deadletter;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.connector.sink2.InitContext;
import org.apache.flink.metrics.MetricGroup;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

/** Which job and which parallel instance of an operator a dead letter was written by. */
public class JobInfo implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Stands for a job name or id that the context did not tell. */
    public static final String UNKNOWN = "unknown";

    private String name;
    private String id;
    private int subtask;

    /** For Flink's POJO serializer and Jackson. */
    public JobInfo() {
        this(null, null, -1);
    }

    private JobInfo(String name, String id, int subtask) {
        this.name = name == null ? UNKNOWN : name;
        this.id = id == null ? UNKNOWN : id;
        this.subtask = subtask;
    }

    public static JobInfo of(String name, String id, int subtask) {
        return new JobInfo(name, id, subtask);
    }

    /** From a rich function's context (a map, process or sink function). */
    public static JobInfo of(RuntimeContext context) {
        return new JobInfo(context.getJobInfo().getJobName(), context.getJobInfo().getJobId().toString(),
                context.getTaskInfo().getIndexOfThisSubtask());
    }

    /** From a sink writer's context ({@code Sink.InitContext} and {@code WriterInitContext} are both one). */
    public static JobInfo of(InitContext context) {
        return new JobInfo(context.getJobInfo().getJobName(), context.getJobInfo().getJobId().toString(),
                context.getTaskInfo().getIndexOfThisSubtask());
    }

    /**
     * From an operator's metric group, whose scope variables name the job and the subtask: for places that get
     * nothing else, such as the OpenSearch sink's {@code BulkResponseInspectorFactory.InitContext}. A variable the
     * group lacks reads {@value #UNKNOWN} (subtask -1).
     */
    public static JobInfo of(MetricGroup group) {
        Map<String, String> variables = group.getAllVariables();
        String subtask = variables.get("<subtask_index>");
        int index;
        try {
            index = subtask == null ? -1 : Integer.parseInt(subtask);
        } catch (NumberFormatException e) {
            index = -1;
        }
        return new JobInfo(variables.get("<job_name>"), variables.get("<job_id>"), index);
    }

    /** The job's name. */
    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name == null ? UNKNOWN : name;
    }

    /** Flink's job id as 32 hex digits. */
    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id == null ? UNKNOWN : id;
    }

    /** The index of the parallel instance, from 0. */
    public int getSubtask() {
        return subtask;
    }

    public void setSubtask(int subtask) {
        this.subtask = subtask;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof JobInfo)) {
            return false;
        }
        JobInfo that = (JobInfo) o;
        return subtask == that.subtask && name.equals(that.name) && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, id, subtask);
    }

    @Override
    public String toString() {
        return "job '" + name + "' (" + id + ") subtask " + subtask;
    }
}
