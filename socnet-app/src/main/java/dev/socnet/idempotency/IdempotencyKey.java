package dev.socnet.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.springframework.http.HttpStatus;

import dev.socnet.web.support.ApiException;

/**
 * The value of an {@code Idempotency-Key} request header: 1..{@value #MAX_CHARS} visible ASCII
 * characters (U+0021..U+007E), e.g. a UUID the client made up for one logical request. Compared
 * exactly (case-sensitive).
 *
 * @param value the header value as sent
 */
public record IdempotencyKey(String value) {

    /** The request header. */
    public static final String HEADER = "Idempotency-Key";

    /** Longest key, in characters (as Stripe's API accepts; room for any UUID or ULID with a prefix). */
    public static final int MAX_CHARS = 255;

    /**
     * @param header the header value, or {@code null} when the request has none
     * @return the key, or {@code null} without a header (the request is then not deduplicated)
     * @throws ApiException 400 naming {@value #HEADER} when the value is empty, too long or not visible ASCII
     */
    public static IdempotencyKey parse(String header) {
        if (header == null) {
            return null;
        }
        if (header.isEmpty() || header.length() > MAX_CHARS || !header.chars().allMatch(c -> c >= 0x21 && c <= 0x7E)) {
            throw ApiException.badRequest(HEADER, "must be 1 to " + MAX_CHARS + " visible ASCII characters");
        }
        return new IdempotencyKey(header);
    }

    /** 422 naming the header: the key was used for a different request within the retention. */
    static ApiException reusedForAnotherRequest(java.time.Duration retention) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, HEADER, HEADER + ": was used for a different request"
                + " within the last " + retention.toHours() + " h; send a new key for a new request");
    }

    /**
     * SHA-256 of a request's identifying parts, joined unambiguously (each part's UTF-8 length, then its
     * bytes), e.g. {@code fingerprint("POST /post/create", text)}.
     */
    public static byte[] fingerprint(String... parts) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                sha256.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
                sha256.update((byte) ':');
                sha256.update(bytes);
            }
            return sha256.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
