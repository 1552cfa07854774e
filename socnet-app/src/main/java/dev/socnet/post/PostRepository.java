package dev.socnet.post;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL over the {@code posts} table (schema: V11 migration). Every statement here goes to the primary:
 * they are writes, or reads whose answer must include the caller's own latest write (a post's text
 * right after its update feeds the post cache).
 */
@Repository
class PostRepository {

    private static final RowMapper<Post> POST = (rs, n) -> new Post(
            rs.getObject("id", UUID.class), rs.getString("text"), rs.getObject("author_id", UUID.class));

    private final JdbcClient jdbc;

    PostRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID id, UUID authorId, String text, Instant createdAt) {
        jdbc.sql("insert into posts (id, author_id, text, created_at) values (:id, :author, :text, :createdAt)")
                .param("id", id).param("author", authorId).param("text", text)
                .param("createdAt", utc(createdAt))
                .update();
    }

    /** Changes the text when {@code authorId} wrote the post. @return false when no such post of that author */
    boolean updateText(UUID id, UUID authorId, String text) {
        return jdbc.sql("update posts set text = :text, updated_at = now() where id = :id and author_id = :author")
                .param("text", text).param("id", id).param("author", authorId)
                .update() == 1;
    }

    /** Deletes the post when {@code authorId} wrote it. @return its creation time, or empty when nothing was deleted */
    Optional<Instant> delete(UUID id, UUID authorId) {
        return jdbc.sql("delete from posts where id = :id and author_id = :author returning created_at")
                .param("id", id).param("author", authorId)
                .query((rs, n) -> rs.getObject("created_at", OffsetDateTime.class).toInstant())
                .optional();
    }

    /** The author of a post, or empty when there is no such post. Primary key lookup. */
    Optional<UUID> author(UUID id) {
        return jdbc.sql("select author_id from posts where id = :id")
                .param("id", id).query(UUID.class).optional();
    }

    Optional<Post> find(UUID id) {
        return jdbc.sql("select id, author_id, text from posts where id = :id")
                .param("id", id).query(POST).optional();
    }

    /** Primary key lookups; ids are bound as one uuid[] parameter so the statement text stays the same. */
    List<Post> findAll(Collection<UUID> ids) {
        return jdbc.sql("select id, author_id, text from posts where id = any(:ids)")
                .param("ids", ids.toArray(UUID[]::new))
                .query(POST).list();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
