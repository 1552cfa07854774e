package dev.socnet.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The outbox's resubmission backoff: doubling from {@code resubmit-every}, capped at {@code backoff-max}. */
class OutboxBackoffTest {

    static final Duration BASE = Duration.ofSeconds(5);
    static final Duration MAX = Duration.ofMinutes(1);

    @Test
    void doublesFromTheBaseAndStopsAtTheCap() {
        assertThat(OutboxResubmission.backoff(0, BASE, MAX)).as("before the first resubmission").isZero();
        assertThat(OutboxResubmission.backoff(1, BASE, MAX)).isEqualTo(Duration.ofSeconds(5));
        assertThat(OutboxResubmission.backoff(2, BASE, MAX)).isEqualTo(Duration.ofSeconds(10));
        assertThat(OutboxResubmission.backoff(3, BASE, MAX)).isEqualTo(Duration.ofSeconds(20));
        assertThat(OutboxResubmission.backoff(4, BASE, MAX)).isEqualTo(Duration.ofSeconds(40));
        assertThat(OutboxResubmission.backoff(5, BASE, MAX)).as("80 s, capped").isEqualTo(MAX);
        assertThat(OutboxResubmission.backoff(199, BASE, MAX)).as("no overflow").isEqualTo(MAX);
    }
}
