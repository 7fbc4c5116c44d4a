package dev.searchsync.opensearch;

import dev.searchsync.opensearch.ActionFailures.Failure;
import dev.searchsync.opensearch.ActionFailures.Outcome;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What OpenSearch says decides, then its status: the table of refused actions. */
class ActionFailuresTest {

    @Test
    void theErrorTypeDecidesBeforeTheStatus() {
        assertThat(classify("index_closed_exception", "closed", 400)).isEqualTo(Outcome.FAIL);
        assertThat(classify("cluster_block_exception", "blocked by: [FORBIDDEN/8/index write (api)];", 403))
                .isEqualTo(Outcome.FAIL);
        assertThat(classify("mapper_parsing_exception", "failed to parse field [n]", 400))
                .isEqualTo(Outcome.DEAD_LETTER);
        assertThat(classify("strict_dynamic_mapping_exception", "mapping set to strict", 400))
                .isEqualTo(Outcome.DEAD_LETTER);
        assertThat(classify("version_conflict_engine_exception", "current version [5] is higher", 409))
                .isEqualTo(Outcome.ALREADY_NEWER);
    }

    @Test
    void anAliasWithoutAWriteIndexIsTheIndexsFaultThoughItIsAnIllegalArgument() {
        assertThat(classify("illegal_argument_exception", "Limit of total fields [1000] has been exceeded", 400))
                .isEqualTo(Outcome.DEAD_LETTER);
        assertThat(classify("illegal_argument_exception", "no write index is defined for alias [products]."
                + " The write index may be explicitly disabled", 400)).isEqualTo(Outcome.FAIL);
    }

    @Test
    void anUnknownTypeFallsBackToTheStatus() {
        assertThat(classify("some_new_exception", "x", 409)).isEqualTo(Outcome.ALREADY_NEWER);
        for (int status : new int[] {400, 413, 422}) {
            assertThat(classify("some_new_exception", "x", status)).as("%d", status).isEqualTo(Outcome.DEAD_LETTER);
        }
        for (int status : new int[] {401, 403, 404, 429, 500, 503}) {
            assertThat(classify("some_new_exception", "x", status)).as("%d", status).isEqualTo(Outcome.FAIL);
        }
        assertThat(ActionFailures.classify(Failure.of("no type in this message", 400))).isEqualTo(Outcome.DEAD_LETTER);
    }

    @Test
    void theRestClientsWordingIsRead() {
        Failure failure = Failure.of("OpenSearch exception [type=index_closed_exception, reason=closed]", 400);
        assertThat(failure.type).isEqualTo("index_closed_exception");
        assertThat(failure.reason).isEqualTo("closed");
    }

    @Test
    void onlyReasonsAboutTheIndexOrClusterMayBeLogged() {
        assertThat(ActionFailures.reasonIsLoggable(new Failure("cluster_block_exception", "index [p] blocked", 403)))
                .isTrue();
        assertThat(ActionFailures.reasonIsLoggable(new Failure("mapper_parsing_exception",
                "Preview of field's value: 'x'", 400))).isFalse();
        assertThat(ActionFailures.reasonIsLoggable(new Failure(null, "anything", 500))).isFalse();
    }

    private static Outcome classify(String type, String reason, int status) {
        return ActionFailures.classify(new Failure(type, reason, status));
    }
}
