package dev.searchsync.it;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wraps a sink and makes its writer throw once per run, after its second checkpoint flush: with one checkpoint
 * in flight at a time, the first checkpoint has completed by then, so the job restarts from it.
 */
public final class FailingOnceSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, AtomicBoolean> FAILED = new ConcurrentHashMap<>();

    private final Sink<T> delegate;
    private final String run;
    private final int recordsAfterArming;

    public FailingOnceSink(Sink<T> delegate, String run, int recordsAfterArming) {
        this.delegate = delegate;
        this.run = run;
        this.recordsAfterArming = recordsAfterArming;
    }

    public static boolean hasFailed(String run) {
        return FAILED.computeIfAbsent(run, r -> new AtomicBoolean()).get();
    }

    @Override
    public SinkWriter<T> createWriter(InitContext context) throws IOException {
        SinkWriter<T> writer = delegate.createWriter(context);
        AtomicBoolean failed = FAILED.computeIfAbsent(run, r -> new AtomicBoolean());
        return new SinkWriter<>() {
            private int flushes;
            private int sinceArmed;

            @Override
            public void write(T element, Context writeContext) throws IOException, InterruptedException {
                if (flushes >= 2 && ++sinceArmed > recordsAfterArming && failed.compareAndSet(false, true)) {
                    throw new IOException("Planned failure after a completed checkpoint (test " + run + ")");
                }
                writer.write(element, writeContext);
            }

            @Override
            public void flush(boolean endOfInput) throws IOException, InterruptedException {
                writer.flush(endOfInput);
                flushes++;
            }

            @Override
            public void close() throws Exception {
                writer.close();
            }
        };
    }
}
