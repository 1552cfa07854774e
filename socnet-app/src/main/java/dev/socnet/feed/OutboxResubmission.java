package dev.socnet.feed;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Configuration;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Runs again, every {@code socnet.feed.outbox.resubmit-every}, each outbox publication (of any
 * module's transactional listener) that is still incomplete {@code socnet.feed.outbox.resubmit-older-than}
 * after it was stored: relays that found RabbitMQ down, rebuilds that found Redis down, publications
 * of an instance that stopped before finishing them. Every listener that gets here is idempotent.
 * Server process only.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@ConditionalOnWebApplication
class OutboxResubmission {

    private static final Logger log = LoggerFactory.getLogger(OutboxResubmission.class);

    private final IncompleteEventPublications publications;
    private final FeedProperties properties;

    OutboxResubmission(IncompleteEventPublications publications, FeedProperties properties) {
        this.publications = publications;
        this.properties = properties;
    }

    @Scheduled(fixedDelayString = "${socnet.feed.outbox.resubmit-every}",
            initialDelayString = "${socnet.feed.outbox.resubmit-every}")
    void resubmit() {
        try {
            publications.resubmitIncompletePublicationsOlderThan(properties.outbox().resubmitOlderThan());
        } catch (RuntimeException e) {
            log.warn("resubmitting incomplete event publications failed: {}", e.getMessage());
        }
    }
}
