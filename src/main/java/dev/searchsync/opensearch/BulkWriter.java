package dev.searchsync.opensearch;

import dev.searchsync.model.DocumentAction;

import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

import java.io.IOException;
import java.util.List;

/**
 * One sink subtask's writer: it gathers actions into a bulk (coalescing changes of one document, {@link PendingBulk}),
 * sends it when it is full or has waited {@code bulk.flush.interval.ms} (longer while the job catches up, see
 * {@link #lingerMillis}), and keeps up to {@code bulk.max.in.flight} bulks waiting on OpenSearch at once, so reading
 * and converting go on during a round trip. Answers are handled on the task's own thread (its mailbox), one at a
 * time, like every other step of the task; {@link #flush} waits for all of them, and Flink calls it before every
 * checkpoint, so a checkpoint completes only when every action before its barrier is answered.
 */
final class BulkWriter implements SinkWriter<DocumentAction> {
    static final String BULK_REQUESTS = "bulkRequests";
    static final String BULK_ACTIONS_SENT = "bulkActionsSent";
    static final String ACTIONS_COALESCED = "actionsCoalesced";
    /** Changes this much older than now at their source mean the job is behind: it catches up. */
    static final long BEHIND_MILLIS = 5_000;
    /** How many flush intervals a bulk that is not full may wait while the job catches up. */
    static final int CATCH_UP_LINGER = 10;

    private final BulkTransport transport;
    private final MailboxExecutor mailbox;
    private final ProcessingTimeService time;
    private final BulkOutcomeInspector inspector;
    private final ChangeLatency latency;
    private final int maxActions;
    private final long maxDocumentBytes;
    private final long flushIntervalMillis;
    private final int maxInFlight;
    private final Counter bulkRequests;
    private final Counter actionsSent;
    private final Counter actionsCoalesced;
    private final Counter recordsSent;
    private final Counter bytesSent;

    private final PendingBulk pending = new PendingBulk();
    private int inFlight;
    private long lastWriteMillis;

    BulkWriter(BulkTransport transport, MailboxExecutor mailbox, ProcessingTimeService time,
            SinkWriterMetricGroup metrics, BulkOutcomeInspector inspector, int maxActions, long maxDocumentBytes,
            long flushIntervalMillis, int maxInFlight) {
        this.transport = transport;
        this.mailbox = mailbox;
        this.time = time;
        this.inspector = inspector;
        this.latency = new ChangeLatency(metrics);
        this.maxActions = maxActions;
        this.maxDocumentBytes = maxDocumentBytes;
        this.flushIntervalMillis = flushIntervalMillis;
        this.maxInFlight = maxInFlight;
        this.bulkRequests = metrics.counter(BULK_REQUESTS);
        this.actionsSent = metrics.counter(BULK_ACTIONS_SENT);
        this.actionsCoalesced = metrics.counter(ACTIONS_COALESCED);
        this.recordsSent = metrics.getNumRecordsSendCounter();
        this.bytesSent = metrics.getNumBytesSendCounter();
        scheduleFlush(time.getCurrentProcessingTime() + flushIntervalMillis);
    }

    @Override
    public void write(DocumentAction action, Context context) throws InterruptedException {
        lastWriteMillis = time.getCurrentProcessingTime();
        if (pending.add(action, lastWriteMillis)) {
            actionsCoalesced.inc();
        }
        if (pending.size() >= maxActions || pending.documentBytes() >= maxDocumentBytes) {
            send();
        }
    }

    /** Sends what waits and returns once every bulk sent is answered: before each checkpoint, and at the end. */
    @Override
    public void flush(boolean endOfInput) throws InterruptedException {
        send();
        while (inFlight > 0) {
            mailbox.yield();
        }
    }

    /** Sends a bulk that has waited long enough; then looks again when it would be due, or an interval on. */
    private void onTimer(long now) throws InterruptedException {
        if (!pending.isEmpty() && (now - pending.oldestMillis() >= lingerMillis(now)
                || now - lastWriteMillis >= flushIntervalMillis)) {
            send();
        }
        long next = now + flushIntervalMillis;
        if (!pending.isEmpty()) {
            next = Math.min(next, pending.oldestMillis() + lingerMillis(now));
        }
        scheduleFlush(Math.max(next, now + 1));
    }

    /**
     * How long a bulk that is not full waits for more actions: {@code bulk.flush.interval.ms}, so a live change is
     * searchable soon; but while even the newest change waiting is {@value #BEHIND_MILLIS} ms old at its source, the
     * job is catching up, a change's freshness is lost already, and {@value #CATCH_UP_LINGER} times as long, so bulks
     * fill up: fuller bulks coalesce more changes of a document and cost OpenSearch fewer requests. Once no action
     * has come for an interval (the backlog is done, or the input paused), what waits goes at the next timer.
     */
    private long lingerMillis(long now) {
        long newest = pending.newestEventTime();
        boolean behind = newest > 0 && now - newest > BEHIND_MILLIS;
        return behind ? flushIntervalMillis * CATCH_UP_LINGER : flushIntervalMillis;
    }

    private void scheduleFlush(long at) {
        time.registerTimer(at, this::onTimer);
    }

    private void send() throws InterruptedException {
        while (!pending.isEmpty() && inFlight >= maxInFlight) {
            // An answer frees a place; answers come through the mailbox. So may the flush timer, which can send
            // what waits here meanwhile: hence the emptiness test on every turn.
            mailbox.yield();
        }
        if (pending.isEmpty()) {
            return;
        }
        PendingBulk.Bulk bulk = pending.drain();
        byte[] body = BulkBody.of(bulk.actions);
        inFlight++;
        bulkRequests.inc();
        actionsSent.inc(bulk.actions.size());
        recordsSent.inc(bulk.actions.size());
        bytesSent.inc(body.length);
        int actions = bulk.actions.size();
        transport.send(body, answer -> {
            List<BulkAnswer.Item> items;
            try {
                // Read on the client's I/O thread, so the task's thread only decides what the items mean.
                items = BulkAnswer.items(answer);
            } catch (IOException | RuntimeException e) {
                failed(actions, e);
                return;
            }
            mailbox.execute(() -> answered(bulk, items), "answer to a bulk of %d actions", actions);
        }, e -> failed(actions, e));
    }

    private void failed(int actions, Exception e) {
        mailbox.execute(() -> {
            inFlight--;
            // Retries happen under the REST client (RetryingBulkHttpClient); this is after the last one.
            throw new IOException("OpenSearch did not take a bulk of " + actions + " actions: " + e.getMessage(), e);
        }, "failed bulk");
    }

    private void answered(PendingBulk.Bulk bulk, List<BulkAnswer.Item> items) {
        inFlight--;
        inspector.inspect(bulk.actions, items);
        long now = System.currentTimeMillis();
        for (DocumentAction action : bulk.actions) {
            latency.indexed(ChangeLatency.eventTimeOf(action), now);
        }
        for (long eventTime : bulk.coalescedEventTimes) {
            latency.indexed(eventTime, now);
        }
    }

    @Override
    public void close() throws Exception {
        transport.close();
    }
}
