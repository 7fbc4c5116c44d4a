package dev.searchsync.opensearch;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a refused bulk action means for the job, decided by what OpenSearch says (its error type) before its status:
 * a 400 about a closed index is the cluster's state, not the document's fault. This table is the one place it is
 * decided; docs/operations.md repeats it and {@code ActionFailuresDocsTest} keeps the two equal.
 */
final class ActionFailures {
    /** How the REST client words an item's error: {@code OpenSearch exception [type=..., reason=...]}. */
    private static final Pattern OPENSEARCH_ERROR = Pattern.compile("type=([a-z_]+), reason=(.*?)\\]?$",
            Pattern.DOTALL);

    /** What a refused action means for the job. */
    enum Outcome {
        /** OpenSearch holds a newer (or the same) version already: the change is superseded, nothing to do. */
        ALREADY_NEWER,
        /** OpenSearch refuses this document as it is: keep it as a dead letter to fix and redrive. */
        DEAD_LETTER,
        /** The index or the cluster cannot take writes now: fail, restart from the checkpoint, apply it then. */
        FAIL
    }

    /** One row of the table. */
    static final class Rule {
        final String type;
        final Outcome outcome;
        final String meaning;

        Rule(String type, Outcome outcome, String meaning) {
            this.type = type;
            this.outcome = outcome;
            this.meaning = meaning;
        }
    }

    static final List<Rule> RULES = List.of(
            new Rule("version_conflict_engine_exception", Outcome.ALREADY_NEWER,
                    "a newer version of the document is indexed"),
            new Rule("mapper_parsing_exception", Outcome.DEAD_LETTER, "a value does not fit the field's mapping"),
            new Rule("strict_dynamic_mapping_exception", Outcome.DEAD_LETTER,
                    "a field the strict mapping does not know"),
            new Rule("document_parsing_exception", Outcome.DEAD_LETTER, "the document cannot be parsed"),
            new Rule("illegal_argument_exception", Outcome.DEAD_LETTER,
                    "the document breaks an index limit (too many fields, a term too long, a bad date) -"
                            + " except \"no write index is defined for alias\", which fails the job"),
            new Rule("index_closed_exception", Outcome.FAIL, "the index is closed"),
            new Rule("cluster_block_exception", Outcome.FAIL,
                    "the index or the cluster is read-only: a write block, or a disk past its flood stage"),
            new Rule("index_not_found_exception", Outcome.FAIL, "the index does not exist and may not be created"),
            new Rule("invalid_index_name_exception", Outcome.FAIL, "the index name is not valid"),
            new Rule("security_exception", Outcome.FAIL, "the role may not write to the index"),
            new Rule("rejected_execution_exception", Outcome.FAIL,
                    "the node was overloaded (429) through every retry"),
            new Rule("es_rejected_execution_exception", Outcome.FAIL,
                    "the node was overloaded (429) through every retry"),
            new Rule("unavailable_shards_exception", Outcome.FAIL,
                    "the primary shard was unavailable (503) through every retry"),
            new Rule("circuit_breaking_exception", Outcome.FAIL, "the node ran short of memory"));

    /** An alias without a write index answers illegal_argument_exception: the index's fault, not the document's. */
    private static final String NO_WRITE_INDEX = "no write index is defined";

    private ActionFailures() {}

    /** What OpenSearch said about one action: its error type (when it names one), reason and status. */
    static final class Failure {
        final String type;
        final String reason;
        final int status;

        Failure(String type, String reason, int status) {
            this.type = type;
            this.reason = reason;
            this.status = status;
        }

        /** Reads the REST client's wording; a message that names no type keeps the whole message as the reason. */
        static Failure of(String message, int status) {
            String text = String.valueOf(message);
            Matcher typed = OPENSEARCH_ERROR.matcher(text);
            return typed.find() ? new Failure(typed.group(1), typed.group(2), status) : new Failure(null, text, status);
        }
    }

    static Outcome classify(Failure failure) {
        Optional<Rule> rule = rule(failure.type);
        if (rule.isPresent()) {
            if ("illegal_argument_exception".equals(failure.type)
                    && failure.reason.toLowerCase(Locale.ROOT).contains(NO_WRITE_INDEX)) {
                return Outcome.FAIL;
            }
            return rule.get().outcome;
        }
        // A type this table does not know: the status decides. The document itself is at fault for 400 (mapping
        // errors, illegal values), 413 (too large) and 422; anything else is the cluster's state.
        if (failure.status == 409) {
            return Outcome.ALREADY_NEWER;
        }
        if (failure.status == 400 || failure.status == 413 || failure.status == 422) {
            return Outcome.DEAD_LETTER;
        }
        return Outcome.FAIL;
    }

    /**
     * Whether OpenSearch's reason may go into the job's log: reasons of index and cluster faults name the index and
     * the block; reasons about a document can quote its values, which stay in the dead letter only.
     */
    static boolean reasonIsLoggable(Failure failure) {
        return rule(failure.type).map(r -> r.outcome == Outcome.FAIL).orElse(false);
    }

    private static Optional<Rule> rule(String type) {
        return RULES.stream().filter(r -> r.type.equals(type)).findFirst();
    }
}
