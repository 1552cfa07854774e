package dev.socnet.post;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.socnet.idempotency.IdempotencyKey;
import dev.socnet.idempotency.IdempotentRequests;
import dev.socnet.web.support.ApiException;

/**
 * Creating, changing, deleting and reading posts. Each change commits the row and its event in one
 * transaction; the event publication registry stores the event for every transactional listener
 * (the outbox), so the feed learns of every committed change even if it is down at that moment.
 */
@Service
class PostService implements PostCatalog {

    private static final TimeBasedEpochGenerator UUID_V7 = Generators.timeBasedEpochGenerator();

    private final PostRepository posts;
    private final ApplicationEventPublisher events;
    private final IdempotentRequests idempotent;

    PostService(PostRepository posts, ApplicationEventPublisher events, IdempotentRequests idempotent) {
        this.posts = posts;
        this.events = events;
        this.idempotent = idempotent;
    }

    /**
     * Stores a new post of {@code authorId}, once per {@code key} ({@link IdempotentRequests#once}):
     * the key is claimed, the post and its event stored, in one transaction.
     *
     * @param key the request's Idempotency-Key, or {@code null} (no deduplication)
     * @return the new post's id (a UUIDv7 whose timestamp is the post's {@code created_at}), or the
     *         first one's for a repeat (then nothing is stored)
     * @throws ApiException 422 when {@code key} was used for another text within the retention
     */
    @Transactional
    IdempotentRequests.Outcome create(UUID authorId, String text, IdempotencyKey key) {
        return idempotent.once(authorId, key, IdempotencyKey.fingerprint("POST /post/create", text), () -> {
            UUID id = UUID_V7.generate();
            Instant createdAt = createdAt(id);
            posts.insert(id, authorId, text, createdAt);
            events.publishEvent(new PostPublished(id, authorId, createdAt));
            return id;
        });
    }

    /**
     * Replaces the text of a post.
     *
     * @throws ApiException 404 when there is no such post (never created, or deleted); 403 when
     *                      {@code callerId} is not its author
     */
    @Transactional
    void update(UUID callerId, UUID postId, String text) {
        if (!posts.updateText(postId, callerId, text)) {
            throw notOwnedOrMissing(callerId, postId);
        }
        events.publishEvent(new PostEdited(postId, callerId));
    }

    /**
     * Deletes a post; it disappears from feeds.
     *
     * @throws ApiException 404 when there is no such post (never created, or already deleted); 403 when
     *                      {@code callerId} is not its author
     */
    @Transactional
    void delete(UUID callerId, UUID postId) {
        Instant createdAt = posts.delete(postId, callerId)
                .orElseThrow(() -> notOwnedOrMissing(callerId, postId));
        events.publishEvent(new PostDeleted(postId, callerId, createdAt));
    }

    /** @throws ApiException 404 when there is no such post */
    Post get(UUID postId) {
        return posts.find(postId).orElseThrow(() -> ApiException.notFound("post", postId));
    }

    @Override
    public Map<UUID, Post> findAll(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return posts.findAll(ids).stream().collect(Collectors.toMap(Post::id, Function.identity()));
    }

    /** The creation time a UUIDv7 carries: its first 48 bits are Unix time in milliseconds (RFC 9562, 5.7). */
    static Instant createdAt(UUID uuidV7) {
        return Instant.ofEpochMilli(uuidV7.getMostSignificantBits() >>> 16);
    }

    private ApiException notOwnedOrMissing(UUID callerId, UUID postId) {
        return posts.author(postId)
                .<ApiException>map(author -> new ApiException(HttpStatus.FORBIDDEN, null,
                        "post " + postId + " belongs to another user; only its author may change it"))
                .orElseGet(() -> ApiException.notFound("post", postId));
    }
}
