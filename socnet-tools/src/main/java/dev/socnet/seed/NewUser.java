package dev.socnet.seed;

import java.time.LocalDate;

/**
 * A profile about to be loaded into {@code users}; the id and password hash are added by
 * {@link UsersCopy}.
 *
 * @param firstName first name, e.g. {@code Иван}; never blank
 * @param secondName surname, e.g. {@code Иванов}; never blank
 * @param birthdate date of birth, not in the future
 * @param biography free text, or {@code null} for none
 * @param city city name, or {@code null} for none
 */
record NewUser(String firstName, String secondName, LocalDate birthdate, String biography, String city) {
}
