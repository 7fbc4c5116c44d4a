package dev.searchsync.deadletter;

import dev.searchsync.change.ChangeRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns one line of the redrive folder into the change it sends back, or refuses it with the reason. A line is
 * refused here, before it enters the pipeline, when the ordering step could not place it among the document's
 * other changes: a change without a shard, a sequence number or a creation time cannot be told older or newer.
 */
public final class RedriveLines {
    /** What a letter must hold to be redriven, as the envelope names it. */
    static final String REQUIRED = "change.eventName, change.keys, change.shardId, change.sequenceNumber and"
            + " change.approximateCreationTimeMs";

    private RedriveLines() {}

    /**
     * The change {@code line}'s letter holds, marked with the attempts it has failed so far.
     *
     * @throws UnreadableLetterException when the line is not JSON, not a dead letter, of an envelope version this
     *     job does not read, or lacks what a redrive needs
     */
    public static ChangeRecord read(String line) {
        DeadLetter letter;
        try {
            letter = DeadLetterJson.read(line);
        } catch (RuntimeException e) {
            throw new UnreadableLetterException(String.valueOf(e.getMessage()), e);
        }
        List<String> missing = new ArrayList<>();
        if (letter.getEventName() == null) {
            missing.add("change.eventName");
        }
        if (letter.getKeys() == null) {
            missing.add("change.keys");
        }
        if (isBlank(letter.getShardId())) {
            missing.add("change.shardId");
        }
        if (isBlank(letter.getSequenceNumber())) {
            missing.add("change.sequenceNumber");
        }
        if (letter.getApproximateCreationTime() <= 0) {
            missing.add("change.approximateCreationTimeMs");
        }
        if (!missing.isEmpty()) {
            throw new UnreadableLetterException("Cannot redrive a dead letter without " + String.join(", ", missing)
                    + ": a redrive needs " + REQUIRED + " to order the change among the document's others");
        }
        if (!letter.getSequenceNumber().chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new UnreadableLetterException("Cannot redrive a dead letter whose change.sequenceNumber is '"
                    + letter.getSequenceNumber() + "': expected decimal digits");
        }
        if (letter.getAttempt() < 1) {
            // Attempt 0 would pass the change off as one read from the stream, which the ordering treats otherwise.
            throw new UnreadableLetterException("Cannot redrive a dead letter whose attempt is "
                    + letter.getAttempt() + ": expected 1 or more");
        }
        ChangeRecord change = letter.toChange();
        change.setRedriveAttempt(letter.getAttempt());
        return change;
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
