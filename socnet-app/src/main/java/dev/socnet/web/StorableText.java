package dev.socnet.web;

import java.util.Optional;

/**
 * Which text PostgreSQL can store in a {@code text} column of a UTF-8 database: every Unicode
 * scalar value except NUL (U+0000), which the server refuses ("invalid byte sequence for encoding
 * UTF8: 0x00", SQLSTATE 22021). A Java string can also hold an unpaired surrogate (from a JSON
 * escape such as {@code "\ud800"}), which has no UTF-8 encoding at all. Both are client mistakes
 * that must be a 400 naming the field, never a 500 from the database (issue #10).
 *
 * <p>Checked for every JSON body ({@link StorableBodies}) and every query parameter
 * ({@link StorableParameters}), so no endpoint that takes text can forget it.
 */
public final class StorableText {

    private StorableText() {
    }

    /**
     * @param text any string, or null (nothing to check)
     * @return empty when PostgreSQL can store {@code text}, else the reason, e.g.
     *         {@code "must not contain the NUL character (U+0000)"}
     */
    public static Optional<String> problem(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return Optional.of("must not contain the NUL character (U+0000)");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of(String.format("must not contain an unpaired surrogate (U+%04X)", (int) c));
            }
        }
        return Optional.empty();
    }
}
