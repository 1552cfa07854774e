package dev.socnet.ratelimit;

import java.time.Duration;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import dev.socnet.web.support.ApiException;

/**
 * 429 Too Many Requests: the caller used up a {@link UserLimit} for the current period. Answered with
 * {@code Retry-After} (whole seconds until the next permit, at least 1) and the JSON error body, whose
 * message names the limit, e.g. {@code "rate limit posts: at most 30 per 60 s per user; retry after 42 s"}.
 */
public class RateLimitExceededException extends ApiException {

    private final UserLimit limit;
    private final Duration retryAfter;

    RateLimitExceededException(UserLimit limit, int limitForPeriod, Duration period, Duration retryAfter) {
        super(HttpStatus.TOO_MANY_REQUESTS, null, "rate limit " + limit.id() + ": at most " + limitForPeriod
                + " per " + period.toSeconds() + " s per user; retry after " + retryAfter.toSeconds() + " s",
                retryAfterHeader(retryAfter));
        this.limit = limit;
        this.retryAfter = retryAfter;
    }

    private static HttpHeaders retryAfterHeader(Duration retryAfter) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter.toSeconds()));
        return headers;
    }

    /** The limit that was reached. */
    public UserLimit limit() {
        return limit;
    }

    /** How long until the caller may write again, in whole seconds (at least 1 s). */
    public Duration retryAfter() {
        return retryAfter;
    }
}
