package dev.searchsync.opensearch;

import dev.searchsync.model.DocumentAction;

import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.metrics.groups.InternalSinkWriterMetricGroup;
import org.apache.flink.util.function.ThrowingRunnable;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The writer's bookkeeping of bulks in flight, on a hand-run mailbox: the test decides when each answer and each
 * timer arrives, which a real OpenSearch cannot be made to do.
 */
class BulkWriterTest {
    private final Mailbox mailbox = new Mailbox();
    private final Timers timers = new Timers();
    private final Transport transport = new Transport(mailbox);

    private BulkWriter writer(int maxActions, int maxInFlight) {
        BulkOutcomeInspector inspector = new BulkOutcomeInspector(new SimpleCounter(), new SimpleCounter(),
                new SimpleCounter(), new SimpleCounter(), rejected -> { });
        return new BulkWriter(transport, mailbox, timers,
                InternalSinkWriterMetricGroup.wrap(UnregisteredMetricsGroup.createOperatorMetricGroup()), inspector,
                maxActions, 5 << 20, 200, maxInFlight);
    }

    @Test
    void aFlushTimerThatFiresWhileTheWriterWaitsForAPlaceSendsNoEmptyBulk() throws Exception {
        BulkWriter writer = writer(2, 1);
        writer.write(write("a", 1), null);
        writer.write(write("b", 1), null); // full: sent, and the one place is taken
        writer.write(write("c", 1), null);
        assertThat(transport.bodies).hasSize(1);

        // While flush waits for the place, the timer comes first: it sends "c" once the first answer is in.
        timers.now = 1_000;
        mailbox.mails.addFirst(timers::fireDue);
        writer.flush(false);

        assertThat(transport.bodies).extracting(body -> body.length > 0).containsExactly(true, true);
        assertThat(transport.bodies.get(1)).asString(StandardCharsets.UTF_8).contains("\"_id\":\"c\"");
    }

    @Test
    void noMoreBulksThanAllowedAreOutAndFlushWaitsForEveryAnswer() throws Exception {
        BulkWriter writer = writer(1, 2);
        writer.write(write("a", 1), null);
        writer.write(write("b", 1), null);
        assertThat(transport.bodies).hasSize(2);
        assertThat(transport.answered).isZero();

        writer.write(write("c", 1), null); // the third waits for an answer
        assertThat(transport.bodies).hasSize(3);
        assertThat(transport.answeredAtSend).as("answers in when each bulk left").startsWith(0, 0);
        assertThat(transport.answeredAtSend.get(2)).isPositive();

        writer.flush(false);
        assertThat(mailbox.mails).isEmpty();
        assertThat(transport.answered).isEqualTo(3);
    }

    @Test
    void aBulkThatWaitedItsIntervalIsSentByTheTimerAndAFreshOneIsNot() throws Exception {
        BulkWriter writer = writer(1_000, 2);
        timers.now = 100;
        writer.write(write("a", 1), null);
        timers.now = 250;
        timers.fireDue();
        assertThat(transport.bodies).as("waited 150 of 200 ms").isEmpty();
        timers.now = 300;
        timers.fireDue();
        assertThat(transport.bodies).hasSize(1);
    }

    @Test
    void whileTheJobCatchesUpABulkThatIsNotFullWaitsTenIntervals() throws Exception {
        BulkWriter writer = writer(1_000, 2);
        // A minute behind, and an action every 100 ms: the bulk goes after 2,000 ms, not 200.
        for (long now = 100_000; now < 102_000; now += 100) {
            timers.now = now;
            writer.write(changedAt("old-" + now, 40_000 + now - 100_000), null);
            timers.fireDue();
            assertThat(transport.bodies).as("at %d", now).isEmpty();
        }
        timers.now = 102_000;
        timers.fireDue();
        assertThat(transport.bodies).hasSize(1);

        // A live change among them: the interval alone.
        timers.now = 102_050;
        writer.write(changedAt("old-again", 42_050), null);
        timers.now = 102_100;
        writer.write(changedAt("live", 102_000), null);
        timers.now = 102_250;
        writer.write(changedAt("old-once-more", 42_250), null);
        timers.fireDue();
        assertThat(transport.bodies).hasSize(2);
    }

    @Test
    void whenNothingMoreComesTheLingeringBulkGoesAtTheNextTimer() throws Exception {
        BulkWriter writer = writer(1_000, 2);
        timers.now = 100_000;
        writer.write(changedAt("old", 40_000), null);
        timers.now = 100_150;
        writer.write(changedAt("old-too", 40_001), null);
        timers.now = 100_300;
        timers.fireDue();
        assertThat(transport.bodies).as("an action came 150 ms ago").isEmpty();
        timers.now = 100_500;
        timers.fireDue();
        assertThat(transport.bodies).as("none for 350 ms: the backlog is done").hasSize(1);
    }

    private static DocumentAction changedAt(String id, long eventTime) {
        DocumentAction action = write(id, 1);
        action.setOrigin(dev.searchsync.model.Origin.of("orders", "dynamodb-streams", "shard-1", null, "100",
                eventTime, "e"));
        return action;
    }

    private static DocumentAction write(String id, long version) {
        return SinkJobs.write("orders", id, version, "{}");
    }

    /** Mails run only when the writer yields, in the order the test queued them. */
    private static final class Mailbox implements MailboxExecutor {
        final Deque<ThrowingRunnable<? extends Exception>> mails = new ArrayDeque<>();

        @Override
        public void execute(ThrowingRunnable<? extends Exception> command, String description, Object... args) {
            mails.add(command);
        }

        @Override
        public void yield() {
            if (!tryYield()) {
                throw new IllegalStateException("the writer waits for a mail that will never come");
            }
        }

        @Override
        public boolean tryYield() {
            ThrowingRunnable<? extends Exception> mail = mails.poll();
            if (mail == null) {
                return false;
            }
            try {
                mail.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return true;
        }
    }

    /** Processing time the test sets; due timers fire when the test says so. */
    private static final class Timers implements ProcessingTimeService {
        long now;
        final List<long[]> due = new ArrayList<>();
        final List<ProcessingTimeCallback> callbacks = new ArrayList<>();

        @Override
        public long getCurrentProcessingTime() {
            return now;
        }

        @Override
        public ScheduledFuture<?> registerTimer(long timestamp, ProcessingTimeCallback target) {
            due.add(new long[] {timestamp});
            callbacks.add(target);
            return null;
        }

        /** Fires the timers due by now (a timer set while firing waits for the next call). */
        void fireDue() throws Exception {
            List<ProcessingTimeCallback> firing = new ArrayList<>();
            for (int i = due.size() - 1; i >= 0; i--) {
                if (due.get(i)[0] <= now) {
                    firing.add(0, callbacks.remove(i));
                    due.remove(i);
                }
            }
            for (ProcessingTimeCallback callback : firing) {
                callback.onProcessingTime(now);
            }
        }
    }

    /** Keeps each body; its answer (every action indexed) arrives as the next mail queued after the send. */
    private static final class Transport implements BulkTransport {
        final Mailbox mailbox;
        final List<byte[]> bodies = new ArrayList<>();
        final List<Consumer<byte[]>> answers = new ArrayList<>();
        final List<Integer> answeredAtSend = new ArrayList<>();
        int answered;

        Transport(Mailbox mailbox) {
            this.mailbox = mailbox;
        }

        @Override
        public void send(byte[] body, Consumer<byte[]> answer, Consumer<Exception> failed) {
            int bulk = bodies.size();
            answeredAtSend.add(answered);
            bodies.add(body);
            answers.add(answer);
            mailbox.mails.add(() -> answer(bulk));
        }

        void answer(int bulk) {
            List<String> items = new ArrayList<>();
            for (String line : new String(bodies.get(bulk), StandardCharsets.UTF_8).split("\n")) {
                int at = line.indexOf("\"_id\":\"");
                if (line.startsWith("{\"index\"") && at >= 0) {
                    items.add(BulkResponses.indexed("orders", line.substring(at + 7, line.indexOf('"', at + 7)), 1));
                }
            }
            answered++;
            answers.get(bulk).accept(BulkResponses.of(items.toArray(new String[0])).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void close() {}
    }
}
