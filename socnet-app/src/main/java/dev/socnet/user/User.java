package dev.socnet.user;

import java.time.LocalDate;
import java.util.UUID;

/**
 * A profile as the contract's {@code User} schema shows it (JSON names are snake_case:
 * {@code first_name}, {@code second_name}). Never carries the password hash.
 *
 * @param id         UUID (UUIDv7 for users registered through the API)
 * @param birthdate  ISO date, yyyy-MM-dd
 * @param biography  free text, may be null
 * @param city       may be null
 */
public record User(UUID id, String firstName, String secondName, LocalDate birthdate, String biography,
        String city) {
}
