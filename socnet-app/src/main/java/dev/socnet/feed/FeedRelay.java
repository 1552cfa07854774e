package dev.socnet.feed;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;

import dev.socnet.post.PostDeleted;
import dev.socnet.post.PostEdited;
import dev.socnet.post.PostPublished;

/**
 * The outbox relay: publishes each committed post event to RabbitMQ as a {@link FeedUpdate} and waits
 * for the broker's publisher confirm ({@code spring.rabbitmq.publisher-confirm-type: simple}).
 *
 * <p>Each method is an asynchronous listener whose publication Spring Modulith stored with the post
 * in one transaction; it is marked complete only when the method returns, i.e. after the confirm.
 * When RabbitMQ is down the method throws, the publication stays incomplete, and
 * {@link OutboxResubmission} runs it again later — the post is saved either way and its fan-out
 * happens once RabbitMQ is back. A publication may be relayed more than once (a resubmission racing
 * a slow first attempt); pushes are idempotent, so a feed still holds each post once.
 * Listener ids are stable: they name outstanding publications in the {@code event_publication} table.
 */
@Component
class FeedRelay {

    private final RabbitTemplate rabbit;
    private final FanOutTopology topology;
    private final FeedProperties properties;

    FeedRelay(RabbitTemplate rabbit, FanOutTopology topology, FeedProperties properties) {
        this.rabbit = rabbit;
        this.topology = topology;
        this.properties = properties;
    }

    @ApplicationModuleListener(id = "feed.relay.post-published", propagation = Propagation.NOT_SUPPORTED)
    void on(PostPublished event) {
        publish(FeedUpdate.of(event));
    }

    @ApplicationModuleListener(id = "feed.relay.post-edited", propagation = Propagation.NOT_SUPPORTED)
    void on(PostEdited event) {
        publish(FeedUpdate.of(event));
    }

    @ApplicationModuleListener(id = "feed.relay.post-deleted", propagation = Propagation.NOT_SUPPORTED)
    void on(PostDeleted event) {
        publish(FeedUpdate.of(event));
    }

    /**
     * @throws org.springframework.amqp.AmqpException when RabbitMQ is unreachable, or does not confirm
     *         within {@code socnet.feed.outbox.confirm-timeout} (or nacks)
     */
    private void publish(FeedUpdate update) {
        long timeoutMs = properties.outbox().confirmTimeout().toMillis();
        rabbit.invoke(channel -> {
            channel.convertAndSend(topology.exchange(), update.kind().routingKey(), update);
            channel.waitForConfirmsOrDie(timeoutMs);
            return null;
        });
    }
}
