package dev.socnet.dialogs;

import java.time.Instant;
import java.util.UUID;

/**
 * One message of a dialog, as stored in {@code dialog_messages} and as the internal API returns it
 * (JSON snake_case: {@code id, dialog_id, from, to, text, created_at}).
 *
 * @param id        UUIDv7: time-ordered, the order of a dialog and its page cursor
 * @param dialogId  {@link DialogId#between(UUID, UUID)} of {@code from} and {@code to}
 * @param from      the sender's user id
 * @param to        the recipient's user id (may equal {@code from})
 * @param text      1..{@value #MAX_TEXT_CHARS} characters, not blank
 * @param createdAt when the service accepted it, UTC, millisecond precision (the UUIDv7's timestamp)
 */
public record DialogMessage(UUID id, UUID dialogId, UUID from, UUID to, String text, Instant createdAt) {

    /**
     * Longest text, in characters (UTF-16 code units, as {@code @Size} counts): a long chat message
     * (two screens on a phone). The gateway documents and checks the same limit; the worker tables
     * check it too (scripts/shards/schema.sql).
     */
    public static final int MAX_TEXT_CHARS = 4096;
}
