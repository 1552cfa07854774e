package dev.socnet.seed;

import java.time.Duration;
import java.util.UUID;

/**
 * Outcome of a committed {@link UserSeeder#seed seed} or {@link PeopleImporter#importFile import}.
 *
 * <p>Ids are UUIDv7 handed out in increasing order, so the loaded rows are exactly those with
 * {@code id BETWEEN firstId AND lastId} unless another writer inserted UUIDv7 rows at the same time.
 *
 * @param users rows inserted into {@code users}
 * @param firstId smallest inserted id, {@code null} when no row was inserted
 * @param lastId largest inserted id, {@code null} when no row was inserted
 * @param password the clear-text password every inserted user can log in with
 * @param load wall time of the {@code COPY} and the commit
 * @param vacuum wall time of the {@code VACUUM (ANALYZE) users} that followed the commit
 */
public record LoadReport(long users, UUID firstId, UUID lastId, String password, Duration load, Duration vacuum) {
}
