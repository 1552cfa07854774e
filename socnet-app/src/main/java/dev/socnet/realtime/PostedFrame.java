package dev.socnet.realtime;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One text frame of {@code /post/feed/posted}, exactly the AsyncAPI contract's {@code Post} message:
 * {@code {"postId":"…","postText":"…","author_user_id":"…"}} (the contract mixes camelCase and snake_case;
 * the explicit names keep the API's snake_case naming strategy from renaming them).
 *
 * @param postId       the post's id, a UUID string
 * @param postText     its text
 * @param authorUserId its author's id, a UUID string
 */
record PostedFrame(
        @JsonProperty("postId") String postId,
        @JsonProperty("postText") String postText,
        @JsonProperty("author_user_id") String authorUserId) {
}
