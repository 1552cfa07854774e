package dev.socnet.dialog;

import java.time.Instant;
import java.util.UUID;

/**
 * A message as {@code /dialog/{user_id}/list} returns it: the contract's {@code DialogMessage}
 * ({@code from, to, text}) plus two documented additive fields, {@code id} (UUIDv7, the cursor for
 * {@code before}) and {@code created_at} (UTC, ISO-8601, millisecond precision).
 * Read from the dialogs service's JSON, which has more fields (ignored here).
 */
record DialogMessage(UUID from, UUID to, String text, UUID id, Instant createdAt) {
}
