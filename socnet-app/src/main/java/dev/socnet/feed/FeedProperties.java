package dev.socnet.feed;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code socnet.feed.*}: the feed's sizes, thresholds and timings (values and their reasons:
 * application.yml, the block after "follow graph, posts, feed").
 *
 * @param readFromCache                false serves every feed page from PostgreSQL, as when Redis is
 *                                     down (an operator's switch, and the benchmark's "uncached"
 *                                     variant); fan-out still keeps the cache current
 * @param maxItems                     the feed is the newest this-many posts (Redis keeps each cached
 *                                     feed trimmed to it); also the largest accepted {@code limit}
 * @param celebrityThresholdFollowers  an author with more followers than this is a celebrity: their
 *                                     posts are merged into feeds at read time instead of fanned out
 * @param celebrityGrace               posts made up to this long after an author's crowning are still
 *                                     fanned out, covering feeds cached before the crowning was seen
 * @param homeTtl                      a cached feed expires this long after it was filled (and is
 *                                     refilled on the next read); also what "recently active" means
 *                                     for the startup warm-up
 * @param postCacheTtl                 a cached post body expires this long after it was cached
 * @param fanOutBatchSize              followers read from PostgreSQL and pushed in one Redis pipeline
 * @param warmUp                       refilling cached feeds at startup
 * @param outbox                       relaying events to RabbitMQ and resubmitting the ones that failed
 * @param amqp                         RabbitMQ names and consumers of the fan-out
 */
@Validated
@ConfigurationProperties("socnet.feed")
record FeedProperties(
        boolean readFromCache,
        @Min(1) int maxItems,
        @Min(0) long celebrityThresholdFollowers,
        @NotNull Duration celebrityGrace,
        @NotNull Duration homeTtl,
        @NotNull Duration postCacheTtl,
        @Min(1) int fanOutBatchSize,
        @Valid @NotNull WarmUp warmUp,
        @Valid @NotNull Outbox outbox,
        @Valid @NotNull Amqp amqp) {

    /**
     * @param enabled     whether to refill feeds at startup
     * @param maxUsers    at most this many feeds, most recently filled first
     * @param parallelism feeds filled at the same time
     */
    record WarmUp(boolean enabled, @Min(0) int maxUsers, @Min(1) int parallelism) {
    }

    /**
     * @param confirmTimeout      how long the relay waits for RabbitMQ's publisher confirm
     * @param resubmitEvery       pause between two resubmission runs; also the first backoff step
     * @param resubmitOlderThan   only publications at least this old are resubmitted (younger ones
     *                            are most likely still being processed)
     * @param resubmitBatchSize   incomplete publications read per run, oldest first
     * @param resubmitMaxInFlight resubmitted publications being processed at once, at most
     * @param backoffMax          longest pause before a publication's next resubmission: after its
     *                            n-th, it waits {@code resubmitEvery · 2^(n-1)}, at most this
     * @param maxAttempts         resubmissions before a publication that still fails is moved to
     *                            {@code event_publication_dead_letter}
     */
    record Outbox(@NotNull Duration confirmTimeout, @NotNull Duration resubmitEvery,
            @NotNull Duration resubmitOlderThan, @Min(1) int resubmitBatchSize, @Min(1) int resubmitMaxInFlight,
            @NotNull Duration backoffMax, @Min(1) int maxAttempts) {
    }

    /**
     * @param exchange  topic exchange the relay publishes to; blank: derived from the database URL
     * @param queue     queue of the fan-out worker, bound to {@code exchange}; blank: derived likewise
     * @param consumers concurrent consumers of the fan-out worker per app instance
     * @param prefetch  unacknowledged messages per consumer
     */
    record Amqp(String exchange, String queue, @Min(1) int consumers, @Min(1) int prefetch) {
    }
}
