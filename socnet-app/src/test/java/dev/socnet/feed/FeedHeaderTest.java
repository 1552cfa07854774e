package dev.socnet.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class FeedHeaderTest {

    @Test
    void headerListsTheFollowedCelebritiesAndReadsBackTheSame() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        FeedHeader header = new FeedHeader(List.of(first, second));

        assertThat(header.member()).isEqualTo("~" + first + "," + second);
        assertThat(FeedHeader.parse(header.member())).isEqualTo(header);
        assertThat(FeedHeader.parse(FeedHeader.NONE.member()).celebrities()).isEmpty();
    }

    @Test
    void aPostIdIsNeverTakenForAHeader() {
        String postId = UUID.randomUUID().toString();
        assertThat(FeedHeader.isHeader(postId)).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> FeedHeader.parse(postId));
    }
}
