package dev.socnet.dialogs;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL over {@code dialog_messages}, a Citus distributed table on {@code dialog_id}, sent to the Citus
 * coordinator. Every statement names one {@code dialog_id}, so Citus' router planner sends it whole
 * (one task) to the worker holding that dialog's shard, where the shard's primary key
 * {@code (dialog_id, id)} serves it. Plans: docs/dialogs.md.
 *
 * <p>While Citus moves a dialog's shard, its final catch-up blocks writes to that one shard for
 * moments: statements wait, then run against the new placement. A statement for a shard whose worker
 * is down fails with SQLSTATE class 08 (mapped to 503); other shards are not affected.
 */
@Repository
class DialogMessageRepository {

    static final String INSERT = """
            insert into dialog_messages (dialog_id, id, from_user, to_user, text, created_at)
            values (:dialogId, :id, :from, :to, :text, :createdAt)
            """;

    /** Newest first: a backward scan of the shard's primary key (dialog_id, id) on the worker. */
    static final String NEWEST = """
            select dialog_id, id, from_user, to_user, text, created_at
              from dialog_messages
             where dialog_id = :dialogId
             order by id desc
             limit :limit
            """;

    /** The page older than the cursor: the same backward scan, starting below (dialog_id, :before). */
    static final String OLDER = """
            select dialog_id, id, from_user, to_user, text, created_at
              from dialog_messages
             where dialog_id = :dialogId and id < :before
             order by id desc
             limit :limit
            """;

    private static final RowMapper<DialogMessage> MESSAGE = (rs, n) -> new DialogMessage(
            rs.getObject("id", UUID.class), rs.getObject("dialog_id", UUID.class),
            rs.getObject("from_user", UUID.class), rs.getObject("to_user", UUID.class),
            rs.getString("text"), rs.getObject("created_at", OffsetDateTime.class).toInstant());

    private final JdbcClient jdbc;

    DialogMessageRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(DialogMessage message) {
        jdbc.sql(INSERT)
                .param("dialogId", message.dialogId()).param("id", message.id())
                .param("from", message.from()).param("to", message.to()).param("text", message.text())
                .param("createdAt", message.createdAt().atOffset(ZoneOffset.UTC))
                .update();
    }

    /** One message by its primary key (dialog_id, id). */
    Optional<DialogMessage> find(DialogId dialog, UUID id) {
        return jdbc.sql("""
                select dialog_id, id, from_user, to_user, text, created_at
                  from dialog_messages where dialog_id = :dialogId and id = :id
                """).param("dialogId", dialog.value()).param("id", id).query(MESSAGE).optional();
    }

    /**
     * @param before a message id of this dialog (exclusive), or {@code null} for the newest page
     * @param limit  at most this many messages
     * @return newest first
     */
    List<DialogMessage> page(DialogId dialog, UUID before, int limit) {
        var statement = before == null
                ? jdbc.sql(NEWEST)
                : jdbc.sql(OLDER).param("before", before);
        return statement.param("dialogId", dialog.value()).param("limit", limit).query(MESSAGE).list();
    }
}
