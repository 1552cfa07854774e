package dev.socnet.user;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.socnet.db.Replica;
import dev.socnet.db.ReplicaReads;

/**
 * SQL over the {@code users} table (schema: V1 migration; search index: V2). Writes and credential
 * checks go to the primary; profile reads and search go to the {@link Replica} pool.
 */
@Repository
class UserRepository {

    private static final String PROFILE_COLUMNS = "id, first_name, second_name, birthdate, biography, city";

    private static final RowMapper<User> USER = (rs, n) -> new User(
            rs.getObject("id", UUID.class), rs.getString("first_name"), rs.getString("second_name"),
            rs.getObject("birthdate", java.time.LocalDate.class), rs.getString("biography"), rs.getString("city"));

    private final JdbcClient jdbc;
    private final JdbcClient replica;
    private final ReplicaReads replicaReads;

    UserRepository(JdbcClient jdbc, @Replica JdbcClient replica, ReplicaReads replicaReads) {
        this.jdbc = jdbc;
        this.replica = replica;
        this.replicaReads = replicaReads;
    }

    void insert(UUID id, Registration r, String passwordHash) {
        jdbc.sql("""
                insert into users (id, first_name, second_name, birthdate, biography, city, password_hash)
                values (:id, :firstName, :secondName, :birthdate, :biography, :city, :passwordHash)
                """)
                .param("id", id).param("firstName", r.firstName()).param("secondName", r.secondName())
                .param("birthdate", r.birthdate()).param("biography", r.biography()).param("city", r.city())
                .param("passwordHash", passwordHash)
                .update();
    }

    /**
     * A profile, read from a replica; on a miss, read again from the primary. Read-your-writes: a
     * client that registered a moment ago may hit a replica that has not replayed the insert yet
     * (quorum commit waits for one replica, not both), and must not get a 404 for that.
     */
    Optional<User> find(UUID id) {
        String sql = "select " + PROFILE_COLUMNS + " from users where id = :id";
        Optional<User> user = replicaReads.read(() -> replica.sql(sql).param("id", id).query(USER).optional());
        return user.isPresent() ? user : jdbc.sql(sql).param("id", id).query(USER).optional();
    }

    /**
     * Whether a user exists: a primary-key probe on a replica and, on a miss, on the primary (the same
     * read-your-writes rule as {@link #find}). Used on every dialog send and follow, so it reads no
     * profile columns.
     */
    boolean exists(UUID id) {
        String sql = "select exists (select 1 from users where id = :id)";
        boolean onReplica = replicaReads.read(() -> replica.sql(sql).param("id", id).query(Boolean.class).single());
        return onReplica || jdbc.sql(sql).param("id", id).query(Boolean.class).single();
    }

    Optional<String> passwordHash(UUID id) {
        return jdbc.sql("select password_hash from users where id = :id")
                .param("id", id).query(String.class).optional();
    }

    /**
     * Profiles whose surname and first name fall in the given prefix ranges, ordered by surname,
     * first name, id, at most {@code limit}.
     * Index: users_name_prefix_idx (lower(second_name) collate "C", lower(first_name) collate "C", id):
     * the surname range bounds the index scan, the first-name range is checked inside the index, and
     * the ORDER BY is the index order, so LIMIT stops the scan early.
     */
    List<User> search(PrefixRange secondName, PrefixRange firstName, int limit) {
        return replicaReads.read(() -> replica.sql("select " + PROFILE_COLUMNS + """
                 from users
                where lower(second_name) collate "C" >= :secondFrom and lower(second_name) collate "C" < :secondTo
                  and lower(first_name) collate "C" >= :firstFrom and lower(first_name) collate "C" < :firstTo
                order by lower(second_name) collate "C", lower(first_name) collate "C", id
                limit :limit
                """)
                .param("secondFrom", secondName.from()).param("secondTo", secondName.to())
                .param("firstFrom", firstName.from()).param("firstTo", firstName.to())
                .param("limit", limit)
                .query(USER).list());
    }
}
