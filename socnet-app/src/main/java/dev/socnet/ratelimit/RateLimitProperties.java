package dev.socnet.ratelimit;

import java.time.Duration;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code socnet.rate-limits.*} (values and reasons: application.yml).
 *
 * @param enabled  false: no write is limited (the benchmarks' own instances run so)
 * @param maxUsers users whose limiters an instance keeps per limit; past it the least recently active
 *                 user's limiter is dropped (that user starts afresh, with a full allowance)
 * @param limits   the allowance of every {@link UserLimit}, keyed by its {@link UserLimit#id()}; all required
 */
@Validated
@ConfigurationProperties("socnet.rate-limits")
record RateLimitProperties(boolean enabled, @Positive int maxUsers, @NotNull Map<UserLimit, @Valid Allowance> limits) {

    /**
     * One limit, in resilience4j's terms: at most {@code limitForPeriod} writes per
     * {@code limitRefreshPeriod}, the period's permits renewed all at once when it ends.
     *
     * @param limitForPeriod     writes per period, at least 1
     * @param limitRefreshPeriod the period, e.g. {@code 1m}
     */
    record Allowance(@Positive int limitForPeriod, @NotNull Duration limitRefreshPeriod) {
    }
}
