package dev.socnet.feed;

import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.socnet.post.Post;

/**
 * {@code GET /post/feed?offset=&limit=} as the contract defines it: the posts of everyone the caller
 * (the JWT's {@code sub}) follows, newest first, at most the newest {@code socnet.feed.max-items}
 * (1000). {@code offset} ≥ 0, default 0 (at or past the end: an empty page); {@code limit} 1..1000,
 * default 10. 400 naming the parameter when either is out of range or not a whole number; 401
 * without a valid token. Served from PostgreSQL when Redis is unavailable (never an error for that).
 */
@RestController
class FeedController {

    /** Largest page: the whole feed (socnet.feed.max-items' default). */
    static final int MAX_LIMIT = 1000;
    static final String DEFAULT_LIMIT = "10";

    private final FeedManager feeds;

    FeedController(FeedManager feeds) {
        this.feeds = feeds;
    }

    @GetMapping("/post/feed")
    List<Post> feed(@AuthenticationPrincipal Jwt caller,
            @RequestParam(name = "offset", defaultValue = "0") @Min(0) int offset,
            @RequestParam(name = "limit", defaultValue = DEFAULT_LIMIT) @Min(1) @Max(MAX_LIMIT) int limit) {
        return feeds.read(UUID.fromString(caller.getSubject()), offset, limit);
    }
}
