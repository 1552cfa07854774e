package dev.socnet.user;

import java.time.LocalDate;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /user/register}. Required: first_name, second_name, password (the contract
 * marks nothing as required; these three are the least a profile and a login need). Optional, and
 * validated when present: birthdate (1900-01-01 .. today), biography, city. Limits are in characters, except the password's (BCrypt reads at most 72 bytes, so longer
 * passwords are refused rather than silently truncated).
 */
public record Registration(
        @NotBlank @Size(max = MAX_NAME_CHARS) String firstName,
        @NotBlank @Size(max = MAX_NAME_CHARS) String secondName,
        @PastOrPresent LocalDate birthdate,
        @Size(max = MAX_BIOGRAPHY_CHARS) String biography,
        @Size(max = MAX_NAME_CHARS) String city,
        @NotBlank @Size(min = MIN_PASSWORD_CHARS) String password) {

    public static final int MAX_NAME_CHARS = 100;
    public static final int MAX_BIOGRAPHY_CHARS = 2000;
    public static final int MIN_PASSWORD_CHARS = 6;
    /** BCrypt uses only the first 72 bytes of a password (Provos &amp; Mazières, 1999). */
    public static final int MAX_PASSWORD_BYTES = 72;
    /** Earliest accepted birthdate. */
    public static final LocalDate MIN_BIRTHDATE = LocalDate.of(1900, 1, 1);
}
