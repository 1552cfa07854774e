package dev.socnet.user;

import java.util.Optional;
import java.util.UUID;

/**
 * What other modules may ask about users. Reads from the primary (see
 * {@link UserRepository}); cheap, indexed by primary key.
 */
public interface UserDirectory {

    /** The BCrypt hash of the user's password, or empty when there is no such user. */
    Optional<String> passwordHash(UUID userId);

    /** True when a user with this id exists. */
    boolean exists(UUID userId);
}
