package dev.socnet.seed;

import java.nio.charset.StandardCharsets;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The one password every seeded or imported user gets, with its BCrypt hash computed once
 * (a BCrypt hash costs ~0.1 s, so hashing per row would take a day for a million users).
 *
 * @param plain the password in clear text, as printed for the operator
 * @param bcryptHash the {@code $2a$10$...} hash stored in {@code users.password_hash}
 */
record SharedPassword(String plain, String bcryptHash) {

    /** Password of generated and imported users unless {@code --password} says otherwise. */
    static final String DEFAULT_PLAIN = "socnet-password";

    /** Shortest accepted password, as for {@code POST /user/register}. */
    static final int MIN_CHARS = 6;

    /** BCrypt reads at most 72 bytes of a password; longer ones are refused, not truncated. */
    static final int MAX_UTF8_BYTES = 72;

    /** Never printed in full: the hash is long and identical for every row. */
    @Override
    public String toString() {
        return "SharedPassword[" + plain + "]";
    }

    /**
     * Hashes {@code plain} once with {@link BCryptPasswordEncoder} (default strength 10).
     *
     * @throws IllegalArgumentException when the password is shorter than {@value #MIN_CHARS}
     *         characters or longer than {@value #MAX_UTF8_BYTES} bytes in UTF-8
     */
    static SharedPassword hash(String plain) {
        if (plain == null || plain.isBlank() || plain.length() < MIN_CHARS) {
            throw new IllegalArgumentException(
                    "the password must have at least " + MIN_CHARS + " characters");
        }
        if (plain.getBytes(StandardCharsets.UTF_8).length > MAX_UTF8_BYTES) {
            throw new IllegalArgumentException(
                    "the password must be at most " + MAX_UTF8_BYTES + " bytes in UTF-8 (a BCrypt limit)");
        }
        return new SharedPassword(plain, new BCryptPasswordEncoder().encode(plain));
    }
}
