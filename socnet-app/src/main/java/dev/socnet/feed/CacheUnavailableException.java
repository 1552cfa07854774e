package dev.socnet.feed;

import org.springframework.dao.DataAccessResourceFailureException;

/**
 * Redis did not answer (down, unreachable, or slower than {@code spring.data.redis.timeout}). The
 * feed is then served from PostgreSQL; the fan-out worker retries the message later.
 */
class CacheUnavailableException extends DataAccessResourceFailureException {

    CacheUnavailableException(Throwable cause) {
        super("the feed cache (Redis) is unavailable: " + cause.getMessage(), cause);
    }
}
