package dev.socnet.dialogs;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL over {@code dialog_messages} on the dialog coordinator. Every statement names one
 * {@code dialog_id}, so the coordinator prunes to one of the 32 hash partitions and sends the
 * statement to the worker that holds it (postgres_fdw); the worker serves it with the partition's
 * primary key {@code dialog_messages_pNN_pkey (dialog_id, id)}. Plans: docs/dialogs.md. The same SQL
 * runs unchanged on Citus (distribution column {@code dialog_id}).
 *
 * <p>During the cut-over of a partition move the coordinator holds {@code dialog_messages} locked
 * for milliseconds: statements wait, then run against the new placement.
 */
@Repository
class DialogMessageRepository {

    static final String INSERT = """
            insert into dialog_messages (dialog_id, id, from_user, to_user, text, created_at)
            values (:dialogId, :id, :from, :to, :text, :createdAt)
            """;

    /** Newest first: a backward scan of dialog_messages_pNN_pkey (dialog_id, id) on the worker. */
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
