package dev.socnet.dialogs;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

/** Sending and reading messages of a dialog between two users. */
@Service
public class Dialogs {

    /** UUIDv7, monotonic within this process (JUG increments the random part inside a millisecond). */
    private static final TimeBasedEpochGenerator UUID_V7 = Generators.timeBasedEpochGenerator();

    private final DialogMessageRepository messages;

    Dialogs(DialogMessageRepository messages) {
        this.messages = messages;
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
