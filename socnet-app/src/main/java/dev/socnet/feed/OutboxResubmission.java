package dev.socnet.feed;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.EventPublication;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Runs again, every {@code socnet.feed.outbox.resubmit-every}, outbox publications (of any module's
 * transactional listener) that are still incomplete {@code socnet.feed.outbox.resubmit-older-than}
 * after they were stored: relays that found RabbitMQ down, rebuilds that found Redis down, publications
 * of an instance that stopped before finishing them. Every listener that gets here is idempotent.
 * Server process only.
 *
 * <p>Bounded, so that the backlog of a long outage does not flood the pools when the dependency
 * returns: each run reads the oldest {@code resubmit-batch-size} incomplete publications and keeps at
 * most {@code resubmit-max-in-flight} in processing (Spring Modulith's {@link ResubmissionOptions}); a
 * publication resubmitted n times waits {@code resubmit-every · 2^(n-1)}, at most {@code backoff-max},
 * before its next attempt (exponential backoff). One that has failed {@code max-attempts} resubmissions
 * is a poison event: it is moved to {@code event_publication_dead_letter} (one statement: deleted from
 * the registry and inserted there), counted ({@code socnet_outbox_dead_lettered_total}) and logged;
 * {@code socnet_outbox_dead_letters} is the table's size.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@ConditionalOnWebApplication
class OutboxResubmission {

    private static final Logger log = LoggerFactory.getLogger(OutboxResubmission.class);

    private final IncompleteEventPublications publications;
    private final FeedProperties.Outbox outbox;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final Counter deadLettered;

    OutboxResubmission(IncompleteEventPublications publications, FeedProperties properties, JdbcClient jdbc,
            MeterRegistry meters) {
        this.publications = publications;
        this.outbox = properties.outbox();
        this.jdbc = jdbc;
        this.clock = Clock.systemUTC();
        this.deadLettered = Counter.builder("socnet.outbox.dead.lettered")
                .description("outbox publications moved to event_publication_dead_letter after max-attempts failed"
                        + " resubmissions")
                .register(meters);
        Gauge.builder("socnet.outbox.dead.letters", this, OutboxResubmission::deadLetters)
                .description("outbox publications waiting in event_publication_dead_letter")
                .register(meters);
    }

    @Scheduled(fixedDelayString = "${socnet.feed.outbox.resubmit-every}",
            initialDelayString = "${socnet.feed.outbox.resubmit-every}")
    void resubmit() {
        try {
            moveToDeadLetter();
            Instant now = clock.instant();
            publications.resubmitIncompletePublications(ResubmissionOptions.defaults()
                    .withMinAge(outbox.resubmitOlderThan())
                    .withBatchSize(outbox.resubmitBatchSize())
                    .withMaxInFlight(outbox.resubmitMaxInFlight())
                    .withFilter(publication -> due(publication, now)));
        } catch (RuntimeException e) {
            log.warn("resubmitting incomplete event publications failed: {}", e.getMessage());
        }
    }

    /** True when {@code publication} has waited out its backoff at {@code now}. */
    boolean due(EventPublication publication, Instant now) {
        Instant last = publication.getLastResubmissionDate();
        return last == null || !now.isBefore(last.plus(backoff(publication.getCompletionAttempts(),
                outbox.resubmitEvery(), outbox.backoffMax())));
    }

    /**
     * The pause after a publication's {@code attempts}-th resubmission: {@code base · 2^(attempts-1)},
     * at most {@code max}; zero before the first.
     */
    static Duration backoff(int attempts, Duration base, Duration max) {
        if (attempts <= 0) {
            return Duration.ZERO;
        }
        int doublings = Math.min(attempts - 1, 30);
        Duration pause = base.multipliedBy(1L << doublings);
        return pause.compareTo(max) > 0 ? max : pause;
    }

    /** Moves the failed publications that used up {@code max-attempts} to the dead-letter table. */
    private void moveToDeadLetter() {
        int moved = jdbc.sql("""
                with moved as (
                  delete from event_publication
                   where completion_date is null and status = 'FAILED' and completion_attempts >= :max
                  returning id, listener_id, event_type, serialized_event, publication_date, status,
                            completion_attempts, last_resubmission_date)
                insert into event_publication_dead_letter (id, listener_id, event_type, serialized_event,
                       publication_date, status, completion_attempts, last_resubmission_date)
                select * from moved
                on conflict (id) do nothing
                """).param("max", outbox.maxAttempts()).update();
        if (moved > 0) {
            deadLettered.increment(moved);
            log.error("{} outbox publications failed {} resubmissions and moved to event_publication_dead_letter"
                    + " (see docs/feed.md to run them again)", moved, outbox.maxAttempts());
        }
    }

    private double deadLetters() {
        try {
            return jdbc.sql("select count(*) from event_publication_dead_letter").query(Long.class).single();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
