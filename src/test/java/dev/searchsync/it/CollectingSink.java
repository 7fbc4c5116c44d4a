package dev.searchsync.it;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what reaches it in a static list per run (at least once), for outputs a test expects to stay empty. */
public final class CollectingSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, List<Object>> COLLECTED = new ConcurrentHashMap<>();

    private final String run;

    public CollectingSink(String run) {
        this.run = run;
    }

    public static List<Object> collected(String run) {
        return COLLECTED.computeIfAbsent(run, r -> new CopyOnWriteArrayList<>());
    }

    @Override
    public SinkWriter<T> createWriter(InitContext context) {
        List<Object> target = collected(run);
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context writeContext) {
                target.add(element);
            }

            @Override
            public void flush(boolean endOfInput) {
                // Kept in memory at once.
            }

            @Override
            public void close() {
                // Nothing to release.
            }
        };
    }
}
