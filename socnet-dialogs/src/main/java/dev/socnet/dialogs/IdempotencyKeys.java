package dev.socnet.dialogs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;

import dev.socnet.web.support.ApiException;

/**
 * The {@code Idempotency-Key}s of sends, in {@code dialog_idempotency_keys} (scripts/shards/schema.sql):
 * a Citus distributed table co-located with {@code dialog_messages} on {@code dialog_id}, so that every
 * statement here names one dialog and runs, with the message insert, as one transaction on the worker
 * of that dialog's shard (decision 0010). A key is scoped to its dialog and sender and kept for
 * {@code socnet.dialogs.idempotency-retention} (24 h); older keys count as unused and are purged every
 * {@code socnet.dialogs.idempotency-purge-every}.
 */
@Repository
class IdempotencyKeys {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeys.class);

    /** The request header (IETF draft-ietf-httpapi-idempotency-key-header). */
    static final String HEADER = "Idempotency-Key";

    /** Longest key, in characters; the gateway checks the same. */
    static final int MAX_CHARS = 255;

    /**
     * Claims a key: a new row, or an expired one taken over; no row returned = a live key exists. The
     * times are parameters: Citus refuses non-immutable functions such as {@code now()} in the
     * {@code DO UPDATE} of an insert into a distributed table.
     */
    static final String CLAIM = """
            insert into dialog_idempotency_keys as k (dialog_id, user_id, idempotency_key, request_hash, created_at)
            values (:dialogId, :user, :key, :hash, :now)
            on conflict (dialog_id, user_id, idempotency_key) do update
               set request_hash = excluded.request_hash, message_id = null, created_at = excluded.created_at
             where k.created_at < :expiredBefore
            returning true
            """;

    static final String FIRST_OUTCOME = """
            select request_hash, message_id from dialog_idempotency_keys
             where dialog_id = :dialogId and user_id = :user and idempotency_key = :key
            """;

    static final String RECORD = """
            update dialog_idempotency_keys set message_id = :messageId
             where dialog_id = :dialogId and user_id = :user and idempotency_key = :key
            """;

    /** A multi-shard delete: Citus runs it on every shard, each walking its created_at index. */
    static final String PURGE = """
            delete from dialog_idempotency_keys where created_at < :expiredBefore
            """;

    private final JdbcClient jdbc;
    private final Duration retention;

    IdempotencyKeys(JdbcClient jdbc, DialogsProperties properties) {
        this.jdbc = jdbc;
        this.retention = properties.idempotencyRetention();
    }

    /**
     * @param header the {@value #HEADER} header, or {@code null}
     * @return the key, or {@code null} without a header
     * @throws ApiException 400 naming the header when it is empty, longer than {@value #MAX_CHARS}
     *                        characters or not visible ASCII
     */
    static String parse(String header) {
        if (header == null) {
            return null;
        }
        if (header.isEmpty() || header.length() > MAX_CHARS || !header.chars().allMatch(c -> c >= 0x21 && c <= 0x7E)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, HEADER,
                    HEADER + ": must be 1 to " + MAX_CHARS + " visible ASCII characters");
        }
        return header;
    }

    /** SHA-256 of a message's text (UTF-8): a repeat under a key must send the same text. */
    static byte[] fingerprint(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * Claims {@code key} for a send in {@code dialog} by {@code user}, or finds its first outcome. Must
     * run in the send's transaction: a concurrent duplicate waits on the key's primary key until it ends.
     *
     * @return empty when the key is claimed (the caller stores the message and {@link #record}s it),
     *         else the id of the message the first send stored
     * @throws ApiException 422 naming the header when the key was used for another text
     */
    Optional<UUID> claimOrFind(DialogId dialog, UUID user, String key, byte[] hash) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        boolean claimed = jdbc.sql(CLAIM)
                .param("dialogId", dialog.value()).param("user", user).param("key", key).param("hash", hash)
                .param("now", now).param("expiredBefore", now.minus(retention))
                .query(Boolean.class).optional().isPresent();
        if (claimed) {
            return Optional.empty();
        }
        return Optional.of(jdbc.sql(FIRST_OUTCOME)
                .param("dialogId", dialog.value()).param("user", user).param("key", key)
                .query((rs, n) -> {
                    if (!MessageDigest.isEqual(rs.getBytes("request_hash"), hash)) {
                        throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, HEADER, HEADER
                                + ": was used for a different message within the last " + retention.toHours()
                                + " h; send a new key for a new message");
                    }
                    return rs.getObject("message_id", UUID.class);
                })
                .single());
    }

    /** Records the message a claimed key's send stored (same transaction as the claim). */
    void record(DialogId dialog, UUID user, String key, UUID messageId) {
        jdbc.sql(RECORD).param("messageId", messageId)
                .param("dialogId", dialog.value()).param("user", user).param("key", key)
                .update();
    }

    /**
     * Deletes the keys older than the retention on every shard. A worker that is down fails the whole
     * purge (logged); the next run catches up.
     *
     * @return how many keys were deleted
     */
    @Scheduled(fixedDelayString = "${socnet.dialogs.idempotency-purge-every}",
            initialDelayString = "${socnet.dialogs.idempotency-purge-every}")
    public int purgeExpired() {
        try {
            int purged = jdbc.sql(PURGE).param("expiredBefore", OffsetDateTime.now(ZoneOffset.UTC).minus(retention))
                    .update();
            if (purged > 0) {
                log.info("purged {} idempotency keys older than {}", purged, retention);
            }
            return purged;
        } catch (DataAccessException e) {
            log.warn("purging expired idempotency keys failed: {}", e.getMessage());
            return 0;
        }
    }
}
