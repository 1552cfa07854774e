package dev.socnet.feed;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The header member of a cached feed or timeline: the member with score +inf, so it is always the
 * first of a newest-first range. Its presence tells a filled feed that is empty ("follows nobody
 * who posted") from a feed that is not cached at all, and it lists the celebrities the user follows,
 * whose posts are merged at read time. Written only when the whole sorted set is (re)filled, so it
 * is evicted and expires together with the entries it describes.
 *
 * <p>Format: {@code "~"} followed by the celebrity ids, comma separated ({@code "~"} alone when
 * there are none). A post id (hex digits and dashes) never starts with {@code '~'}.
 *
 * @param celebrities followed celebrities, in no particular order
 */
record FeedHeader(List<UUID> celebrities) {

    static final String PREFIX = "~";

    /** A header without celebrities: every timeline's, and the feed header of most users. */
    static final FeedHeader NONE = new FeedHeader(List.of());

    FeedHeader {
        celebrities = List.copyOf(celebrities);
    }

    static boolean isHeader(String member) {
        return member.startsWith(PREFIX);
    }

    /** @throws IllegalArgumentException when {@code member} is not a header */
    static FeedHeader parse(String member) {
        if (!isHeader(member)) {
            throw new IllegalArgumentException("not a feed header: " + member);
        }
        String body = member.substring(PREFIX.length());
        if (body.isEmpty()) {
            return NONE;
        }
        List<UUID> ids = new ArrayList<>();
        for (String id : body.split(",")) {
            ids.add(UUID.fromString(id));
        }
        return new FeedHeader(ids);
    }

    String member() {
        StringBuilder member = new StringBuilder(PREFIX);
        for (int i = 0; i < celebrities.size(); i++) {
            if (i > 0) {
                member.append(',');
            }
            member.append(celebrities.get(i));
        }
        return member.toString();
    }
}
