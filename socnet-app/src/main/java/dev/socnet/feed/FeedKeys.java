package dev.socnet.feed;

import java.util.UUID;

/**
 * The one place that spells the feed's Redis keys (after Mastodon's {@code FeedManager#key}).
 *
 * <ul>
 *   <li>{@code feed:home:{user}} — a user's cached feed: sorted set of post ids (score = the post's
 *       creation time in ms since the epoch), newest {@code socnet.feed.max-items} kept, plus one
 *       header member (see {@link FeedHeader}) with score +inf;</li>
 *   <li>{@code feed:timeline:{author}} — a celebrity's recent posts, same shape, merged into their
 *       followers' feeds at read time;</li>
 *   <li>{@code feed:post:{post}} — a post body as JSON {@code {"id","text","author_user_id"}}.</li>
 * </ul>
 * All ids are UUID strings in lower case.
 */
final class FeedKeys {

    private static final String HOME = "feed:home:";
    private static final String TIMELINE = "feed:timeline:";
    private static final String POST = "feed:post:";

    private FeedKeys() {
    }

    /** Prefix of {@link #timeline} keys (the page-read script derives timeline keys from it). */
    static String timelinePrefix() {
        return TIMELINE;
    }

    /** Prefix of {@link #post} keys (the page-read script derives post keys from it). */
    static String postPrefix() {
        return POST;
    }

    static String home(UUID userId) {
        return HOME + userId;
    }

    static String timeline(UUID authorId) {
        return TIMELINE + authorId;
    }

    static String post(UUID postId) {
        return POST + postId;
    }
}
