package dev.socnet.db;

import java.time.Duration;
import java.util.function.Supplier;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;

/**
 * Runs an idempotent read on the {@link Replica} pool, retrying it once after
 * {@value #RETRY_DELAY_MS} ms when its connection broke (a replica was stopped or restarted: the
 * pool still held connections to it). The retry takes a fresh connection, which PgJDBC opens to a
 * live host. Writes are never retried here. Retry machinery: Spring Framework's
 * {@link RetryTemplate}.
 */
@Component
public class ReplicaReads {

    /** Pause before the retry, in ms: enough for the pool to evict the dead connection. */
    static final long RETRY_DELAY_MS = 50;

    private final RetryTemplate retry = new RetryTemplate(RetryPolicy.builder()
            .maxRetries(1)
            .delay(Duration.ofMillis(RETRY_DELAY_MS))
            .includes(DataAccessResourceFailureException.class, TransientDataAccessException.class)
            .build());

    /**
     * @return what {@code read} returns
     * @throws org.springframework.dao.DataAccessException the second failure, when the retry failed too
     */
    public <T> T read(Supplier<T> read) {
        return retry.invoke(read);
    }
}
