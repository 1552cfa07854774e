package dev.socnet.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class FeedEntryTest {

    static final long T = 1_760_000_000_000L;

    @Test
    void mergeIsNewestFirstWithEachPostOnceAndCapped() {
        FeedEntry a = entry(T + 3);
        FeedEntry b = entry(T + 2);
        FeedEntry c = entry(T + 1);
        FeedEntry d = entry(T);
        List<FeedEntry> home = List.of(a, c);
        List<FeedEntry> celebrity = List.of(b, a, d);

        assertThat(FeedEntry.merge(List.of(home, celebrity), 10)).containsExactly(a, b, c, d);
        assertThat(FeedEntry.merge(List.of(home, celebrity), 2)).containsExactly(a, b);
        assertThat(FeedEntry.merge(List.of(List.of(), List.of()), 5)).isEmpty();
    }

    @Test
    void postsOfTheSameMillisecondAreOrderedByIdAsUnsignedNumbersLikePostgreSqlAndRedis() {
        // The second id's low half has its top bit set: negative as a signed long, larger unsigned.
        FeedEntry small = new FeedEntry(UUID.fromString("01a1fd20-0000-7000-0000-000000000001"), T);
        FeedEntry large = new FeedEntry(UUID.fromString("01a1fd20-0000-7000-8000-000000000000"), T);
        assertThat(large.postId().toString()).isGreaterThan(small.postId().toString());

        assertThat(FeedEntry.merge(List.of(List.of(small, large)), 10)).containsExactly(large, small);
    }

    private static FeedEntry entry(long millis) {
        return new FeedEntry(FeedIT.uuidV7(millis), millis);
    }
}
