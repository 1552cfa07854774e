package dev.socnet.user;

import java.util.Locale;

/**
 * A case-insensitive prefix as a half-open range of lower-cased strings in code-point order:
 * {@code s} starts with {@code p} ⇔ {@code from <= s < to}, where {@code from = lower(p)} and
 * {@code to} is {@code from} with its last code point incremented ("ив" → ["ив", "иг")).
 *
 * <p>Why a range and not {@code LIKE 'ив%'}: a range on {@code COLLATE "C"} expressions is an index
 * range in every plan, including the generic plan PostgreSQL may choose for a server-side prepared
 * statement (PgJDBC prepares after 5 executions), where a parameterised {@code LIKE} cannot use the
 * prefix and degrades to a full index scan (2.6 ms → 529 ms measured, docs/benchmarks/search-plans.txt).
 * No wildcard escaping is needed either.
 */
record PrefixRange(String from, String to) {

    /**
     * @param prefix a non-blank prefix; surrounding white space is ignored
     * @throws IllegalArgumentException when the prefix is blank
     */
    static PrefixRange of(String prefix) {
        String from = prefix.strip().toLowerCase(Locale.ROOT);
        if (from.isEmpty()) {
            throw new IllegalArgumentException("blank prefix");
        }
        int last = from.codePointBefore(from.length());
        String head = from.substring(0, from.length() - Character.charCount(last));
        String to = last == Character.MAX_CODE_POINT ? from + '\uFFFF' : head + Character.toString(last + 1);
        return new PrefixRange(from, to);
    }
}
