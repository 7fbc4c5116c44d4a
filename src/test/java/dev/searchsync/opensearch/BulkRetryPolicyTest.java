package dev.searchsync.opensearch;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pauses double from the first up to the longest, with jitter only below the nominal pause. */
class BulkRetryPolicyTest {

    @Test
    void pausesDoubleUpToTheMaximumLessAtMostAFifth() {
        BulkRetryPolicy policy = new BulkRetryPolicy(8, 100, 10_000);
        long[] nominal = {100, 200, 400, 800, 1_600, 3_200, 6_400, 10_000};
        for (int retry = 1; retry <= nominal.length; retry++) {
            for (int draw = 0; draw < 50; draw++) {
                assertThat(policy.delayMillis(retry)).as("retry %d", retry)
                        .isBetween(nominal[retry - 1] - nominal[retry - 1] / 5, nominal[retry - 1]);
            }
        }
        assertThat(policy.delayMillis(60)).isBetween(8_000L, 10_000L);
        assertThat(policy.budgetMillis()).isEqualTo(22_700);
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> new BulkRetryPolicy(-1, 100, 1_000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BulkRetryPolicy(1, 100, 50)).isInstanceOf(IllegalArgumentException.class);
    }
}
