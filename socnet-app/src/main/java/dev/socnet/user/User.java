package dev.socnet.user;

import java.time.LocalDate;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A profile as the contract's {@code User} schema shows it (JSON names are snake_case:
 * {@code first_name}, {@code second_name}). Never carries the password hash.
 *
 * @param id         UUID (UUIDv7 for users registered through the API)
 * @param birthdate  ISO date, yyyy-MM-dd; omitted from JSON when the user gave none (it is optional)
 * @param biography  free text; omitted from JSON when absent (the contract's fields are non-null strings)
 * @param city       omitted from JSON when absent
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record User(UUID id, String firstName, String secondName, LocalDate birthdate, String biography,
        String city) {
}
