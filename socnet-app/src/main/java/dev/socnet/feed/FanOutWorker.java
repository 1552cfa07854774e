package dev.socnet.feed;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.socnet.friend.FollowGraph;
import dev.socnet.post.Post;
import dev.socnet.post.PostCatalog;

/**
 * The fan-out worker: consumes {@link FeedUpdate}s from the fan-out queue and applies them to the
 * cached feeds. A new post of an ordinary author is pushed into each follower's cached feed, the
 * followers read from PostgreSQL and pushed to Redis {@code socnet.feed.fan-out-batch-size} at a time,
 * one pipeline per batch; a celebrity's post only goes into their own cached timeline. A deleted post
 * is taken out the same way; an edited one is dropped from the post cache.
 *
 * <p>Every step is idempotent (the post id is the sorted-set member), so a redelivered or re-relayed
 * message changes nothing: a feed holds each post once. A message for a post that no longer exists
 * (deleted before its fan-out ran) pushes nothing. Failures while Redis or PostgreSQL is unavailable
 * are retried, then requeued (see {@link FeedMessaging}). Runs in the server process only, not in
 * one-shot commands.
 */
@Component
@ConditionalOnWebApplication
class FanOutWorker {

    private final FeedManager feeds;
    private final CelebrityRoster celebrities;
    private final FollowGraph graph;
    private final PostCatalog catalog;
    private final FeedProperties properties;
    private final MeterRegistry meters;
    /** Post created → its id in every follower's cached feed (fan-out on write only). */
    private final Timer fanOutLag;

    FanOutWorker(FeedManager feeds, CelebrityRoster celebrities, FollowGraph graph, PostCatalog catalog,
            FeedProperties properties, MeterRegistry meters) {
        this.feeds = feeds;
        this.celebrities = celebrities;
        this.graph = graph;
        this.catalog = catalog;
        this.properties = properties;
        this.meters = meters;
        this.fanOutLag = Timer.builder("socnet.feed.fan-out.lag")
                .description("time from a post's created_at to its id in every follower's cached feed "
                        + "(posts fanned out on write; a celebrity's are merged at read time instead)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(meters);
    }

    @RabbitListener(id = "feed-fan-out", queues = "#{@fanOutTopology.queue()}", containerFactory = "fanOutContainerFactory")
    void on(FeedUpdate update) {
        Timer.Sample sample = Timer.start(meters);
        switch (update.kind()) {
            case PUBLISHED -> published(update);
            case EDITED -> feeds.evictPost(update.postId());
            case DELETED -> deleted(update);
        }
        sample.stop(Timer.builder("socnet.feed.fan-out")
                .description("time to apply one post event to the cached feeds")
                .tag("kind", update.kind().name().toLowerCase(Locale.ROOT))
                .register(meters));
    }

    private void published(FeedUpdate update) {
        Map<UUID, Post> post = catalog.findAll(List.of(update.postId()));
        if (post.isEmpty()) {
            return;
        }
        feeds.cachePost(post.get(update.postId()));
        FeedEntry entry = update.entry();
        if (celebrities.fansOutOnWrite(update.authorId(), Instant.ofEpochMilli(update.createdAtMillis()))) {
            graph.forEachFollowerBatch(update.authorId(), properties.fanOutBatchSize(),
                    followers -> feeds.pushToHomes(followers, entry));
            fanOutLag.record(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - update.createdAtMillis())));
        }
        feeds.pushToTimeline(update.authorId(), entry);
    }

    private void deleted(FeedUpdate update) {
        if (celebrities.fansOutOnWrite(update.authorId(), Instant.ofEpochMilli(update.createdAtMillis()))) {
            graph.forEachFollowerBatch(update.authorId(), properties.fanOutBatchSize(),
                    followers -> feeds.unpushFromHomes(followers, update.postId()));
        }
        feeds.unpushFromTimeline(update.authorId(), update.postId());
        feeds.evictPost(update.postId());
    }
}
