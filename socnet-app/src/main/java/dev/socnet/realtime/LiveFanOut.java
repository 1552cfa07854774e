package dev.socnet.realtime;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.event.TransactionalEventListener;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import tools.jackson.databind.json.JsonMapper;

import dev.socnet.feed.CelebrityDirectory;
import dev.socnet.friend.FollowEnded;
import dev.socnet.friend.FollowGraph;
import dev.socnet.friend.FollowStarted;
import dev.socnet.post.Post;
import dev.socnet.post.PostCatalog;
import dev.socnet.post.PostPublished;

/**
 * The live feed's fan-out: turns each committed post into messages on the live feed's exchange —
 * one per online follower ({@code user.{id}}), or one for all followers of a celebrity
 * ({@code author.{id}}) — and each follow change into a message to the follower's connections.
 *
 * <p>Each method is a Spring Modulith listener whose publication was stored in the outbox with the
 * post or the follow; it completes only after RabbitMQ confirmed every message (publisher confirms),
 * so a post created while RabbitMQ is down is delivered live once it is back (resubmitted by the
 * outbox's schedule), never lost. A resubmission may repeat messages; each connection drops a post it
 * was already sent ({@link LiveSession#firstDelivery}). Own posts are not echoed: an author does not
 * follow themself (the follow graph refuses it). A post deleted before its fan-out ran is skipped.
 */
class LiveFanOut {

    private final RabbitTemplate rabbit;
    private final RealtimeTopology topology;
    private final RealtimeProperties properties;
    private final FollowGraph graph;
    private final PostCatalog posts;
    private final CelebrityDirectory celebrities;
    private final OnlinePresence presence;
    private final JsonMapper json;
    private final MeterRegistry meters;

    LiveFanOut(RabbitTemplate rabbit, RealtimeTopology topology, RealtimeProperties properties, FollowGraph graph,
            PostCatalog posts, CelebrityDirectory celebrities, OnlinePresence presence, JsonMapper json,
            MeterRegistry meters) {
        this.rabbit = rabbit;
        this.topology = topology;
        this.properties = properties;
        this.graph = graph;
        this.posts = posts;
        this.celebrities = celebrities;
        this.presence = presence;
        this.json = json;
        this.meters = meters;
    }

    /**
     * A celebrity's post goes once to {@code author.{id}}; an ordinary author's to {@code user.{id}} of
     * each online follower, {@code fan-out-batch-size} followers at a time (read from PostgreSQL, checked
     * for presence with one SMISMEMBER per live instance, published and confirmed). A post made within
     * {@code celebrity-grace} of the author's crowning goes both ways.
     *
     * @throws org.springframework.amqp.AmqpException when RabbitMQ is unreachable or does not confirm
     *         within {@code confirm-timeout} (the publication stays in the outbox and is retried)
     */
    @ApplicationModuleListener(id = "realtime.fan-out.post-published", propagation = Propagation.NOT_SUPPORTED)
    void on(PostPublished published) {
        Timer.Sample sample = Timer.start(meters);
        Map<UUID, Post> found = posts.findAll(List.of(published.postId()));
        Post post = found.get(published.postId());
        if (post == null) {
            return;
        }
        Message message = message(LiveUpdate.posted(post.id(), post.text(), post.authorUserId()));
        Optional<Instant> crownedAt = celebrities.crownedAt(published.authorId());
        if (crownedAt.isPresent()) {
            publish(List.of(RealtimeTopology.authorKey(published.authorId())), message);
        }
        if (crownedAt.isEmpty() || published.createdAt().isBefore(crownedAt.get().plus(properties.celebrityGrace()))) {
            graph.forEachFollowerBatch(published.authorId(), properties.fanOutBatchSize(), followers -> {
                Set<UUID> online = presence.onlineAmong(followers);
                publish(online.stream().map(RealtimeTopology::followerKey).toList(), message);
            });
        }
        sample.stop(Timer.builder("socnet.realtime.fan-out")
                .description("time from a post's event to its live feed messages confirmed by RabbitMQ")
                .register(meters));
    }

    /**
     * The follower's instances re-read whom they follow among celebrities. Runs right after the follow
     * commits, in the request's thread, so the follow's response is sent only once the message is
     * queued: any post created after it is queued behind it and routed by the new follows. Stored in
     * the outbox like the rest: retried while RabbitMQ is unreachable.
     */
    @TransactionalEventListener(id = "realtime.fan-out.follow-started")
    void on(FollowStarted follow) {
        publish(List.of(RealtimeTopology.followerKey(follow.followerId())), message(LiveUpdate.followsChanged()));
    }

    /** Likewise after an unfollow: the open connections stop receiving a celebrity's posts at once. */
    @TransactionalEventListener(id = "realtime.fan-out.follow-ended")
    void on(FollowEnded unfollow) {
        publish(List.of(RealtimeTopology.followerKey(unfollow.followerId())), message(LiveUpdate.followsChanged()));
    }

    private Message message(LiveUpdate update) {
        return MessageBuilder.withBody(json.writeValueAsString(update).getBytes(StandardCharsets.UTF_8))
                .setContentType(MessageProperties.CONTENT_TYPE_JSON)
                .build();
    }

    /** Publishes {@code message} with each routing key on one channel, then waits for all confirms. */
    private void publish(List<String> routingKeys, Message message) {
        if (routingKeys.isEmpty()) {
            return;
        }
        long timeoutMs = properties.confirmTimeout().toMillis();
        rabbit.invoke(channel -> {
            for (String key : routingKeys) {
                channel.send(topology.exchange(), key, message);
            }
            channel.waitForConfirmsOrDie(timeoutMs);
            return null;
        });
    }
}
