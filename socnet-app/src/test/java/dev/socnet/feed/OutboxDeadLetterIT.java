package dev.socnet.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import io.micrometer.core.instrument.MeterRegistry;

import dev.socnet.IntegrationTest;

/**
 * A poison event: its listener fails every time. The outbox resubmits it with backoff until
 * {@code max-attempts} (3 here) resubmissions have failed, then moves it from {@code event_publication}
 * to {@code event_publication_dead_letter} and counts it; the listener is not called for it again.
 */
@IntegrationTest
@TestPropertySource(properties = {
        "socnet.feed.outbox.resubmit-every=200ms",
        "socnet.feed.outbox.resubmit-older-than=1s",
        "socnet.feed.outbox.backoff-max=400ms",
        "socnet.feed.outbox.max-attempts=3"})
@Import(OutboxDeadLetterIT.PoisonConfiguration.class)
class OutboxDeadLetterIT {

    static final Duration MOVED_WITHIN = Duration.ofSeconds(60);

    /** An event only the poison listener takes. */
    record PoisonEvent(String marker) {
    }

    static final AtomicInteger CALLS = new AtomicInteger();

    static class PoisonListener {

        @ApplicationModuleListener(id = "test.outbox.poison")
        void on(PoisonEvent event) {
            CALLS.incrementAndGet();
            throw new IllegalStateException("poison event " + event.marker() + " always fails");
        }
    }

    @TestConfiguration
    static class PoisonConfiguration {

        @Bean
        PoisonListener poisonListener() {
            return new PoisonListener();
        }
    }

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    @Test
    void aPublicationThatKeepsFailingMovesToTheDeadLetterTable() {
        String marker = UUID.randomUUID().toString();
        double movedBefore = meters.counter("socnet.outbox.dead.lettered").count();
        transactions.executeWithoutResult(status -> events.publishEvent(new PoisonEvent(marker)));

        await().atMost(MOVED_WITHIN).until(() -> count("event_publication_dead_letter", marker) == 1);
        assertThat(count("event_publication", marker)).as("left in the outbox").isZero();
        Integer attempts = jdbc.sql("select completion_attempts from event_publication_dead_letter"
                        + " where serialized_event like :marker and listener_id = 'test.outbox.poison'")
                .param("marker", "%" + marker + "%").query(Integer.class).single();
        assertThat(attempts).as("resubmissions before the move").isGreaterThanOrEqualTo(3);
        assertThat(meters.counter("socnet.outbox.dead.lettered").count()).isGreaterThanOrEqualTo(movedBefore + 1);
        assertThat(meters.get("socnet.outbox.dead.letters").gauge().value()).isGreaterThanOrEqualTo(1);

        int calls = CALLS.get();
        assertThat(calls).as("the listener ran for each resubmission").isGreaterThanOrEqualTo(3);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(CALLS.get()).as("no call after the move").isEqualTo(calls));
    }

    private long count(String table, String marker) {
        return jdbc.sql("select count(*) from " + table + " where serialized_event like :marker")
                .param("marker", "%" + marker + "%").query(Long.class).single();
    }
}
