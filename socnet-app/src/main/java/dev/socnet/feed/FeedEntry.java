package dev.socnet.feed;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * One post in a feed: its id and its creation time, the sorted-set member and score.
 *
 * @param postId          UUIDv7 of the post
 * @param createdAtMillis creation time, ms since the epoch (UTC); the Redis score
 */
record FeedEntry(UUID postId, long createdAtMillis) {

    /**
     * Feed order: newest first; ties (same millisecond) by id, larger first, comparing ids as
     * unsigned 128-bit numbers — the order of PostgreSQL's {@code order by created_at desc, id desc}
     * and of a Redis reverse range over equal scores (lexicographic on the lower-case UUID string).
     * {@link UUID#compareTo} compares signed halves, so it is not used.
     */
    static final Comparator<FeedEntry> NEWEST_FIRST = (a, b) -> {
        int byTime = Long.compare(b.createdAtMillis, a.createdAtMillis);
        if (byTime != 0) {
            return byTime;
        }
        int byHigh = Long.compareUnsigned(b.postId.getMostSignificantBits(), a.postId.getMostSignificantBits());
        return byHigh != 0 ? byHigh
                : Long.compareUnsigned(b.postId.getLeastSignificantBits(), a.postId.getLeastSignificantBits());
    };

    /**
     * Merges feeds (each already newest first or not — they are sorted here) into one: newest first,
     * each post once, at most {@code max} entries. Used to merge celebrities' timelines into a cached
     * feed at read time.
     */
    static List<FeedEntry> merge(Collection<? extends Collection<FeedEntry>> sources, int max) {
        List<FeedEntry> all = new ArrayList<>();
        sources.forEach(all::addAll);
        all.sort(NEWEST_FIRST);
        List<FeedEntry> merged = new ArrayList<>(Math.min(all.size(), max));
        Set<UUID> seen = new HashSet<>();
        for (FeedEntry entry : all) {
            if (merged.size() == max) {
                break;
            }
            if (seen.add(entry.postId)) {
                merged.add(entry);
            }
        }
        return merged;
    }
}
