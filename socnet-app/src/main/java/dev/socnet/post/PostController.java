package dev.socnet.post;

import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.socnet.idempotency.IdempotencyKey;
import dev.socnet.idempotency.IdempotentRequests;
import dev.socnet.ratelimit.UserLimit;
import dev.socnet.ratelimit.UserRateLimits;
import dev.socnet.web.Ids;

/**
 * {@code /post/create}, {@code /post/update}, {@code /post/delete/{id}}, {@code /post/get/{id}} as the
 * contract defines them. The caller is the JWT's {@code sub}. Errors: 400 naming the field (text
 * missing, blank or longer than {@link PostText#MAX_CHARS} characters; malformed id), 401 without a
 * valid token (all but /post/get), 403 when the caller is not the post's author, 404 for a post that
 * does not exist or was deleted.
 *
 * <p>{@code /post/create} takes an optional {@code Idempotency-Key} header ({@link IdempotencyKey}):
 * a repeat with the same key and text within 24 h answers the first post's id (with
 * {@value #REPLAYED_HEADER}{@code : true}) and creates nothing; the same key with another text is a
 * 422 naming the header; a malformed key a 400 naming it.
 *
 * <p>Create, update and delete together count against the caller's {@link UserLimit#POSTS} limit
 * ({@code socnet.rate-limits.limits.posts}): past it, 429 with {@code Retry-After} and nothing is changed.
 */
@RestController
class PostController {

    /** Body of /post/create. */
    record NewPost(@NotBlank @Size(max = PostText.MAX_CHARS) String text) {
    }

    /** Body of /post/update; {@code id} is parsed strictly (canonical UUID) by {@link Ids}. */
    record PostUpdate(@NotNull String id, @NotBlank @Size(max = PostText.MAX_CHARS) String text) {
    }

    /** Response header of a repeat answered from its key's first outcome. */
    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final PostService posts;
    private final UserRateLimits limits;

    PostController(PostService posts, UserRateLimits limits) {
        this.posts = posts;
        this.limits = limits;
    }

    /** 200 with the new post's id as a JSON string (the contract's {@code PostId}), e.g. {@code "0199…"}. */
    @PostMapping("/post/create")
    ResponseEntity<UUID> create(@AuthenticationPrincipal Jwt caller,
            @RequestHeader(name = IdempotencyKey.HEADER, required = false) String idempotencyKey,
            @Valid @RequestBody NewPost post) {
        IdempotencyKey key = IdempotencyKey.parse(idempotencyKey);
        limits.acquire(UserLimit.POSTS, userId(caller));
        IdempotentRequests.Outcome outcome = posts.create(userId(caller), post.text(), key);
        var response = ResponseEntity.ok();
        if (outcome.replayed()) {
            response.header(REPLAYED_HEADER, "true");
        }
        return response.body(outcome.id());
    }

    /** 200, empty body. */
    @PutMapping("/post/update")
    void update(@AuthenticationPrincipal Jwt caller, @Valid @RequestBody PostUpdate update) {
        UUID id = Ids.parse("id", update.id());
        limits.acquire(UserLimit.POSTS, userId(caller));
        posts.update(userId(caller), id, update.text());
    }

    /** 200, empty body. */
    @PutMapping("/post/delete/{id}")
    void delete(@AuthenticationPrincipal Jwt caller, @PathVariable String id) {
        UUID post = Ids.parse("id", id);
        limits.acquire(UserLimit.POSTS, userId(caller));
        posts.delete(userId(caller), post);
    }

    /** 200 Post; no token needed. */
    @GetMapping("/post/get/{id}")
    Post get(@PathVariable String id) {
        return posts.get(Ids.parse("id", id));
    }

    private static UUID userId(Jwt caller) {
        return UUID.fromString(caller.getSubject());
    }
}
