package dev.socnet.idempotency;

import java.util.Arrays;
import java.util.UUID;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.socnet.web.support.ApiException;

/**
 * Runs a creating request at most once per user and {@link IdempotencyKey} within the retention
 * ({@code socnet.idempotency.retention}, 24 h), over the {@code idempotency_keys} table (V16) on the
 * primary.
 *
 * <p>Insert-first: the key is claimed by an insert in the caller's transaction, before the work, and
 * the work's result (the id it created) is written to the key's row in the same transaction. A
 * concurrent duplicate's insert waits on the primary key until that transaction ends: after a commit
 * it finds the key and returns the stored id, after a rollback it claims the key itself. So exactly one
 * of any number of duplicates does the work, and a repeat never sees a half-done one. A key older than
 * the retention counts as unused (and is purged every {@code socnet.idempotency.purge-every}).
 */
@Service
@EnableScheduling
public class IdempotentRequests {

    private static final Logger log = LoggerFactory.getLogger(IdempotentRequests.class);

    /** Claims the key: a new row, or an expired one taken over; no row returned = a live key exists. */
    static final String CLAIM = """
            insert into idempotency_keys as k (user_id, idempotency_key, request_hash)
            values (:user, :key, :hash)
            on conflict (user_id, idempotency_key) do update
               set request_hash = excluded.request_hash, resource_id = null, created_at = now()
             where k.created_at < now() - make_interval(secs => :retentionSeconds)
            returning true
            """;

    /** Primary key lookup. */
    static final String FIRST_OUTCOME = """
            select request_hash, resource_id from idempotency_keys where user_id = :user and idempotency_key = :key
            """;

    /** Walks idempotency_keys_created_at_idx. */
    static final String PURGE = """
            delete from idempotency_keys where created_at < now() - make_interval(secs => :retentionSeconds)
            """;

    private final JdbcClient jdbc;
    private final IdempotencyProperties properties;

    IdempotentRequests(JdbcClient jdbc, IdempotencyProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /** The outcome of {@link #once}: the id, and whether it is a repeat's (nothing new was stored). */
    public record Outcome(UUID id, boolean replayed) {
    }

    /**
     * Runs {@code create} unless this user already sent this key within the retention.
     *
     * @param userId      the caller
     * @param key         the request's key; {@code null}: no deduplication, {@code create} runs
     * @param requestHash the request's {@link IdempotencyKey#fingerprint}
     * @param create      the work; returns the id of what it created. Runs in the caller's transaction
     * @return the new id, or the first request's id when this is a repeat
     * @throws ApiException 422 naming {@value IdempotencyKey#HEADER} when the key was used for a request
     *                      with another fingerprint within the retention
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Outcome once(UUID userId, IdempotencyKey key, byte[] requestHash, Supplier<UUID> create) {
        if (key == null) {
            return new Outcome(create.get(), false);
        }
        long retentionSeconds = properties.retention().toSeconds();
        boolean claimed = jdbc.sql(CLAIM)
                .param("user", userId).param("key", key.value()).param("hash", requestHash)
                .param("retentionSeconds", retentionSeconds)
                .query(Boolean.class).optional().isPresent();
        if (!claimed) {
            return jdbc.sql(FIRST_OUTCOME).param("user", userId).param("key", key.value())
                    .query((rs, n) -> {
                        if (!Arrays.equals(rs.getBytes("request_hash"), requestHash)) {
                            throw IdempotencyKey.reusedForAnotherRequest(properties.retention());
                        }
                        return new Outcome(rs.getObject("resource_id", UUID.class), true);
                    })
                    .single();
        }
        UUID id = create.get();
        jdbc.sql("update idempotency_keys set resource_id = :id where user_id = :user and idempotency_key = :key")
                .param("id", id).param("user", userId).param("key", key.value())
                .update();
        return new Outcome(id, false);
    }

    /**
     * Deletes the keys older than the retention.
     *
     * @return how many were deleted
     */
    @Scheduled(fixedDelayString = "${socnet.idempotency.purge-every}", initialDelayString = "${socnet.idempotency.purge-every}")
    public int purgeExpired() {
        try {
            int purged = jdbc.sql(PURGE).param("retentionSeconds", properties.retention().toSeconds()).update();
            if (purged > 0) {
                log.info("purged {} idempotency keys older than {}", purged, properties.retention());
            }
            return purged;
        } catch (DataAccessException e) {
            log.warn("purging expired idempotency keys failed, next try in {}: {}", properties.purgeEvery(), e.getMessage());
            return 0;
        }
    }
}
