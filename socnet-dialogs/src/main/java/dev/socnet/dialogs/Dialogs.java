package dev.socnet.dialogs;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

import dev.socnet.web.support.ApiException;

/** Sending and reading messages of a dialog between two users. */
@Service
public class Dialogs {

    /** UUIDv7, monotonic within this process (JUG increments the random part inside a millisecond). */
    private static final TimeBasedEpochGenerator UUID_V7 = Generators.timeBasedEpochGenerator();

    private final DialogMessageRepository messages;
    private final IdempotencyKeys keys;

    Dialogs(DialogMessageRepository messages, IdempotencyKeys keys) {
        this.messages = messages;
        this.keys = keys;
    }

    /** A send's result: the message, and whether it was stored by an earlier send with the same key. */
    public record Sent(DialogMessage message, boolean replayed) {
    }

    /**
     * Stores a message from {@code from} to {@code to} (the same user is allowed).
     *
     * @param text already validated: not blank, at most {@link DialogMessage#MAX_TEXT_CHARS}
     * @return the stored message with its new id and time
     * @throws org.springframework.dao.DataAccessException when the coordinator or the worker of the
     *         dialog's shard cannot be reached (mapped to 503)
     */
    public DialogMessage send(UUID from, UUID to, String text) {
        UUID id = UUID_V7.generate();
        var message = new DialogMessage(id, DialogId.between(from, to).value(), from, to, text, timestampOf(id));
        messages.insert(message);
        return message;
    }

    /**
     * Stores a message once per {@code key}: the key is claimed, the message stored and the key's outcome
     * recorded in one transaction on the dialog's worker ({@link IdempotencyKeys}). A repeat by the same
     * sender in the same dialog with the same key and text within the retention stores nothing.
     *
     * @param key an Idempotency-Key ({@link IdempotencyKeys#parse}), or {@code null}: as {@link #send(UUID, UUID, String)}
     * @return the message stored now, or by the first send with {@code key}
     * @throws ApiException 422 when {@code key} was used for another text in this dialog
     */
    @Transactional
    public Sent send(UUID from, UUID to, String text, String key) {
        if (key == null) {
            return new Sent(send(from, to, text), false);
        }
        DialogId dialog = DialogId.between(from, to);
        var first = keys.claimOrFind(dialog, from, key, IdempotencyKeys.fingerprint(text));
        if (first.isPresent()) {
            return new Sent(messages.find(dialog, first.get())
                    .orElseThrow(() -> new IllegalStateException("message " + first.get() + " of key " + key + " is gone")),
                    true);
        }
        DialogMessage message = send(from, to, text);
        keys.record(dialog, from, key, message.id());
        return new Sent(message, false);
    }

    /**
     * A page of the dialog of {@code user} and {@code peer}, newest first; the same for both.
     *
     * @param before a message id: only older messages, or {@code null} for the newest ones
     * @param limit  1..{@link DialogController#MAX_LIMIT}
     */
    public List<DialogMessage> page(UUID user, UUID peer, UUID before, int limit) {
        return messages.page(DialogId.between(user, peer), before, limit);
    }

    /** The creation time a UUIDv7 carries: its first 48 bits, Unix milliseconds (RFC 9562 §5.7). */
    static Instant timestampOf(UUID v7) {
        return Instant.ofEpochMilli(v7.getMostSignificantBits() >>> 16);
    }
}
