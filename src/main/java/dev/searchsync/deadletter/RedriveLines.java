package dev.searchsync.deadletter;

import dev.searchsync.model.Origin;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns one line of the redrive folder into the letter it sends back, or refuses it with the reason. A line is
 * refused here, before it enters the pipeline, when the ordering step could not place it among the document's
 * other changes (no shard, sequence number or event time), when it holds nothing to send (neither the record nor
 * the action), or when it comes from another kind of input than this job reads.
 */
public final class RedriveLines {
    /** What a letter must hold to be redriven, as the envelope names it. */
    static final String REQUIRED = "origin.kind, origin.shard, origin.sequence, origin.eventTime, and a record or an"
            + " action";

    private RedriveLines() {}

    /**
     * The letter {@code line} holds, checked for a redrive into a job whose input is of kind {@code kind}.
     *
     * @throws UnreadableLetterException when the line is not JSON, not a dead letter, of an envelope version this
     *     job does not read, or lacks what a redrive needs
     */
    public static DeadLetter read(String line, String kind) {
        DeadLetter letter;
        try {
            letter = DeadLetterJson.read(line);
        } catch (RuntimeException e) {
            throw new UnreadableLetterException(String.valueOf(e.getMessage()), e);
        }
        Origin origin = letter.getOrigin();
        List<String> missing = new ArrayList<>();
        if (origin == null || isBlank(origin.getKind())) {
            missing.add("origin.kind");
        }
        if (origin == null || isBlank(origin.getShard())) {
            missing.add("origin.shard");
        }
        if (origin == null || isBlank(origin.getSequence())) {
            missing.add("origin.sequence");
        }
        if (origin == null || origin.getEventTime() <= 0) {
            missing.add("origin.eventTime");
        }
        if (letter.getRecord() == null && letter.getAction() == null) {
            missing.add("record or action");
        }
        if (!missing.isEmpty()) {
            throw new UnreadableLetterException("Cannot redrive a dead letter without " + String.join(", ", missing)
                    + ": a redrive needs " + REQUIRED + " to order the change among the document's others");
        }
        if (!kind.equals(origin.getKind())) {
            throw new UnreadableLetterException("Cannot redrive a dead letter of a " + origin.getKind()
                    + " input into this job, which reads " + kind);
        }
        if (!origin.getSequence().chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new UnreadableLetterException("Cannot redrive a dead letter whose origin.sequence is '"
                    + origin.getSequence() + "': expected decimal digits");
        }
        if (letter.getAttempt() < 1) {
            // Attempt 0 would pass the change off as one read from its input, which the ordering treats otherwise.
            throw new UnreadableLetterException("Cannot redrive a dead letter whose attempt is "
                    + letter.getAttempt() + ": expected 1 or more");
        }
        return letter;
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
