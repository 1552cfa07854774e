package dev.socnet.feed;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Refills Redis at startup for the recently active users: those whose feed was filled within
 * {@code socnet.feed.home-ttl} (so had a cached feed that an empty Redis has lost), most recent first,
 * at most {@code socnet.feed.warm-up.max-users}, {@code parallelism} at a time, skipping feeds that are
 * still cached. Runs in the background after the app is ready; the app serves requests meanwhile
 * (a feed not refilled yet is filled on its first read). Server process only.
 */
@Component
@ConditionalOnWebApplication
class FeedWarmUp {

    private static final Logger log = LoggerFactory.getLogger(FeedWarmUp.class);

    private final FeedManager feeds;
    private final FeedRepository repository;
    private final FeedProperties properties;

    FeedWarmUp(FeedManager feeds, FeedRepository repository, FeedProperties properties) {
        this.feeds = feeds;
        this.repository = repository;
        this.properties = properties;
    }

    @EventListener(ApplicationReadyEvent.class)
    void onReady() {
        if (properties.warmUp().enabled() && properties.warmUp().maxUsers() > 0) {
            Thread.ofVirtual().name("feed-warm-up").start(this::warmUp);
        }
    }

    /**
     * Fills the missing cached feeds of recently active users.
     *
     * @return how many feeds were filled; stops early (with a warning) when Redis or PostgreSQL fails
     */
    int warmUp() {
        long started = System.nanoTime();
        List<UUID> users;
        try {
            users = repository.recentlyFilled(properties.homeTtl(), properties.warmUp().maxUsers());
        } catch (RuntimeException e) {
            log.warn("feed warm-up skipped: {}", e.getMessage());
            return 0;
        }
        AtomicInteger filled = new AtomicInteger();
        Semaphore slots = new Semaphore(properties.warmUp().parallelism());
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (UUID user : users) {
                slots.acquireUninterruptibly();
                workers.submit(() -> {
                    try {
                        if (feeds.populateHomeIfMissing(user)) {
                            filled.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        log.warn("feed warm-up of {} failed: {}", user, e.getMessage());
                    } finally {
                        slots.release();
                    }
                });
            }
        }
        log.info("feed warm-up: filled {} of {} recently active users' feeds in {} ms", filled.get(), users.size(),
                (System.nanoTime() - started) / 1_000_000);
        return filled.get();
    }
}
