package dev.socnet.user;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

import dev.socnet.web.support.ApiException;

/** Registration, profile lookup and people search. */
@Service
class UserService implements UserDirectory {

    private static final TimeBasedEpochGenerator UUID_V7 = Generators.timeBasedEpochGenerator();

    private final UserRepository users;
    private final PasswordEncoder passwords;
    private final int maxSearchResults;

    UserService(UserRepository users, PasswordEncoder passwords,
            @Value("${socnet.search.max-results}") int maxSearchResults) {
        this.users = users;
        this.passwords = passwords;
        this.maxSearchResults = maxSearchResults;
    }

    /**
     * Stores a new user with a BCrypt hash of the password.
     *
     * @return the new user's id (UUIDv7)
     * @throws ApiException 400 when the birthdate is before {@link Registration#MIN_BIRTHDATE} or the
     *                      password is longer than {@link Registration#MAX_PASSWORD_BYTES} bytes
     */
    UUID register(Registration registration) {
        if (registration.birthdate() != null && registration.birthdate().isBefore(Registration.MIN_BIRTHDATE)) {
            throw ApiException.badRequest("birthdate", "must not be before " + Registration.MIN_BIRTHDATE);
        }
        if (registration.password().getBytes(StandardCharsets.UTF_8).length > Registration.MAX_PASSWORD_BYTES) {
            throw ApiException.badRequest("password",
                    "must be at most " + Registration.MAX_PASSWORD_BYTES + " bytes in UTF-8");
        }
        UUID id = UUID_V7.generate();
        users.insert(id, registration, passwords.encode(registration.password()));
        return id;
    }

    /** @throws ApiException 404 when there is no such user */
    User get(UUID id) {
        return users.find(id).orElseThrow(() -> ApiException.notFound("user", id));
    }

    /**
     * Case-insensitive prefix search on first name and surname.
     *
     * @return at most {@code socnet.search.max-results} profiles, ordered by surname, first name, id
     *         (compared lower-cased, by code point)
     */
    List<User> search(String firstNamePrefix, String secondNamePrefix) {
        return users.search(PrefixRange.of(secondNamePrefix), PrefixRange.of(firstNamePrefix), maxSearchResults);
    }

    @Override
    public Optional<String> passwordHash(UUID userId) {
        return users.passwordHash(userId);
    }

    @Override
    public boolean exists(UUID userId) {
        return users.exists(userId);
    }
}
