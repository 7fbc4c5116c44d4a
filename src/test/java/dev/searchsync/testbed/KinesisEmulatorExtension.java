package dev.searchsync.testbed;

/**
 * Gives a test class the Kinesis emulator shared by the whole run, started on first use; JUnit stops it when the run
 * ends. Streams outlive a test class: use names of your own.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KinesisEmulatorExtension KINESIS = new KinesisEmulatorExtension();
 * ... KINESIS.server().client().createStream(b -> b.streamName("events").shardCount(2)) ...
 * }</pre>
 */
public final class KinesisEmulatorExtension extends SharedServerExtension<KinesisEmulator> {

    public KinesisEmulatorExtension() {
        super(KinesisEmulator.class, KinesisEmulator::new, KinesisEmulator::start);
    }
}
