package dev.socnet.ratelimit;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Per-user write limits of this instance ({@code socnet.rate-limits.*}): a resilience4j
 * {@link AtomicRateLimiter} per user and {@link UserLimit} — at most {@code limit-for-period} permits per
 * {@code limit-refresh-period}, renewed all at once at the end of each period (a fixed window that
 * starts with the user's first write) — that never waits: a write without a permit is refused at once.
 *
 * <p>Memory is bounded: each limit keeps its users' limiters in a Caffeine cache of at most
 * {@code max-users} entries, each dropped a period after its last use (by then it would hold a full
 * allowance again, so nothing is lost) or, past the size, least recently used first (such a user starts
 * afresh). Refusals are counted in {@value #REJECTED} (Prometheus {@code socnet_ratelimit_rejected_total}),
 * tagged {@code limit} with the limit's {@link UserLimit#id()}.
 *
 * <p>Per instance: behind HAProxy's round robin over N instances a user gets up to N times the allowance
 * (decision 0011).
 */
@Service
@EnableConfigurationProperties(RateLimitProperties.class)
public class UserRateLimits {

    /** Counter of refused writes, tag {@code limit}. */
    static final String REJECTED = "socnet.ratelimit.rejected";

    private final boolean enabled;
    private final Map<UserLimit, Limiters> limiters = new EnumMap<>(UserLimit.class);

    UserRateLimits(RateLimitProperties properties, MeterRegistry meters) {
        this.enabled = properties.enabled();
        for (UserLimit limit : UserLimit.values()) {
            RateLimitProperties.Allowance allowance = properties.limits().get(limit);
            if (allowance == null) {
                throw new IllegalStateException("socnet.rate-limits.limits." + limit.id()
                        + " is missing: every limit needs limit-for-period and limit-refresh-period");
            }
            limiters.put(limit, new Limiters(limit, allowance, properties.maxUsers(), meters));
        }
    }

    /**
     * Takes one permit of {@code limit} for {@code user}; call it before the write, after the request was
     * validated.
     *
     * @param limit the kind of write
     * @param user  the caller (the JWT's {@code sub})
     * @throws RateLimitExceededException (429, {@code Retry-After}) when the user has no permit left in the
     *                                    current period; the write must then not happen
     */
    public void acquire(UserLimit limit, UUID user) {
        if (enabled) {
            limiters.get(limit).acquire(user);
        }
    }

    /** One limit's limiters, per user. */
    private static final class Limiters {

        private final UserLimit limit;
        private final RateLimiterConfig config;
        private final Cache<UUID, AtomicRateLimiter> byUser;
        private final Counter rejected;

        Limiters(UserLimit limit, RateLimitProperties.Allowance allowance, int maxUsers, MeterRegistry meters) {
            this.limit = limit;
            this.config = RateLimiterConfig.custom()
                    .limitForPeriod(allowance.limitForPeriod())
                    .limitRefreshPeriod(allowance.limitRefreshPeriod())
                    .timeoutDuration(Duration.ZERO)
                    .build();
            this.byUser = Caffeine.newBuilder()
                    .maximumSize(maxUsers)
                    .expireAfterAccess(allowance.limitRefreshPeriod())
                    .build();
            this.rejected = Counter.builder(REJECTED)
                    .description("Writes refused with 429 because the user reached a per-user rate limit")
                    .tag("limit", limit.id())
                    .register(meters);
        }

        void acquire(UUID user) {
            AtomicRateLimiter limiter = byUser.get(user, u -> new AtomicRateLimiter(limit.id(), config));
            if (limiter.acquirePermission()) {
                return;
            }
            rejected.increment();
            long nanosToWait = limiter.getDetailedMetrics().getNanosToWait();
            // whole seconds, rounded up: a client that waits this long finds a permit
            long seconds = Math.max(1, (nanosToWait + 999_999_999L) / 1_000_000_000L);
            throw new RateLimitExceededException(limit, config.getLimitForPeriod(), config.getLimitRefreshPeriod(),
                    Duration.ofSeconds(seconds));
        }
    }
}
