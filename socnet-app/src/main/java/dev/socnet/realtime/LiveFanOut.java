package dev.socnet.realtime;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.event.TransactionalEventListener;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ReturnListener;

import io.micrometer.core.instrument.Counter;
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
 * outbox's schedule), never lost. A message to a follower that presence lists as online is published
 * mandatory: when no queue takes it (their instance has not re-declared its queue and bindings yet
 * after a broker restart, or has just died), the broker returns it before confirming, and the
 * publication fails and is resubmitted. A resubmission may repeat messages; each connection drops a
 * post it was already sent ({@link LiveSession#firstDelivery}). Own posts are not echoed: an author does not
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
    private final Counter unroutable;

    /** Live updates are transient: not persisted by the broker. */
    private static final AMQP.BasicProperties PROPERTIES = new AMQP.BasicProperties.Builder()
            .contentType("application/json").deliveryMode(1).build();

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
        this.unroutable = Counter.builder("socnet.realtime.unroutable")
                .description("live updates to followers listed online that no instance queue took; their post's"
                        + " fan-out is retried from the outbox")
                .register(meters);
    }

    /**
     * A celebrity's post goes once to {@code author.{id}}; an ordinary author's to {@code user.{id}} of
     * each online follower, {@code fan-out-batch-size} followers at a time (read from PostgreSQL, checked
     * for presence with one SMISMEMBER per live instance, published and confirmed). A post made within
     * the feed's {@code socnet.feed.celebrity-grace} of the author's crowning goes both ways
     * ({@link CelebrityDirectory#fansOutOnWrite}).
     *
     * @throws AmqpException when RabbitMQ is unreachable, does not confirm within {@code confirm-timeout},
     *         or returns a message to a follower listed online as unroutable (the publication stays in
     *         the outbox and is retried; the followers who got it drop the repeat)
     */
    @ApplicationModuleListener(id = "realtime.fan-out.post-published", propagation = Propagation.NOT_SUPPORTED)
    void on(PostPublished published) {
        Timer.Sample sample = Timer.start(meters);
        Map<UUID, Post> found = posts.findAll(List.of(published.postId()));
        Post post = found.get(published.postId());
        if (post == null) {
            return;
        }
        byte[] message = message(LiveUpdate.posted(post.id(), post.text(), post.authorUserId()));
        if (celebrities.crownedAt(published.authorId()).isPresent()) {
            // no fan of the celebrity may be connected anywhere: no queue taking it is normal
            publish(List.of(RealtimeTopology.authorKey(published.authorId())), message, false);
        }
        AtomicLong returned = new AtomicLong();
        // the feed's rule (CelebrityDirectory): ordinary authors, and a celebrity within the crowning's grace
        if (celebrities.fansOutOnWrite(published.authorId(), published.createdAt())) {
            graph.forEachFollowerBatch(published.authorId(), properties.fanOutBatchSize(), followers -> {
                OnlinePresence.Online online = presence.onlineAmong(followers);
                returned.addAndGet(publish(online.users().stream().map(RealtimeTopology::followerKey).toList(), message,
                        !online.assumed()));
            });
        }
        if (returned.get() > 0) {
            unroutable.increment(returned.get());
            throw new AmqpException(returned.get() + " live updates of post " + post.id()
                    + " to followers listed online found no queue (their instance has not bound them yet, or is"
                    + " gone); left in the outbox to be resubmitted");
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
        publish(List.of(RealtimeTopology.followerKey(follow.followerId())), message(LiveUpdate.followsChanged()), false);
    }

    /** Likewise after an unfollow: the open connections stop receiving a celebrity's posts at once. */
    @TransactionalEventListener(id = "realtime.fan-out.follow-ended")
    void on(FollowEnded unfollow) {
        publish(List.of(RealtimeTopology.followerKey(unfollow.followerId())), message(LiveUpdate.followsChanged()), false);
    }

    private byte[] message(LiveUpdate update) {
        return json.writeValueAsString(update).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Publishes {@code body} with each routing key on one channel, then waits for all confirms.
     *
     * @param mandatory true: the broker returns each message that no queue takes (basic.return, which
     *                  RabbitMQ sends before that message's confirm, so all returns are counted once
     *                  the confirms are in)
     * @return how many messages the broker returned (0 when not mandatory)
     * @throws AmqpException when RabbitMQ is unreachable or does not confirm within {@code confirm-timeout}
     */
    private int publish(List<String> routingKeys, byte[] body, boolean mandatory) {
        if (routingKeys.isEmpty()) {
            return 0;
        }
        long timeoutMs = properties.confirmTimeout().toMillis();
        Integer returned = rabbit.execute(channel -> {
            AtomicInteger returns = new AtomicInteger();
            ReturnListener listener = (replyCode, replyText, exchange, routingKey, props, returnedBody) -> returns.incrementAndGet();
            channel.addReturnListener(listener);
            try {
                for (String key : routingKeys) {
                    channel.basicPublish(topology.exchange(), key, mandatory, PROPERTIES, body);
                }
                channel.waitForConfirmsOrDie(timeoutMs);
                return returns.get();
            } finally {
                channel.removeReturnListener(listener);
            }
        });
        return returned == null ? 0 : returned;
    }
}
