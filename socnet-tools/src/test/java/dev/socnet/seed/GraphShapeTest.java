package dev.socnet.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

import org.junit.jupiter.api.Test;

/** The documented shape of the seeded graph (docs/feed.md), checked on samples. */
class GraphShapeTest {

    static final int SAMPLE = 200_000;

    private final RandomGenerator random = RandomGeneratorFactory.of(PeopleGenerator.RANDOM_ALGORITHM).create(7);
    private final GraphShape million = new GraphShape(1_000_000);

    @Test
    void mostUsersFollow20To200OthersWithMedian30() {
        int[] counts = new int[SAMPLE];
        for (int i = 0; i < SAMPLE; i++) {
            counts[i] = million.followees(random);
        }
        long inRange = Arrays.stream(counts).filter(c -> c >= 20 && c <= 200).count();
        Arrays.sort(counts);

        assertThat(inRange / (double) SAMPLE).isCloseTo(0.90, within(0.01));
        assertThat(counts[SAMPLE / 2]).isBetween(28, 32);
        assertThat(counts[0]).isZero();
        assertThat(counts[SAMPLE - 1]).isEqualTo(200);
    }

    @Test
    void aFewCelebritiesHave100000To400000FollowersOnAMillionUsers() {
        assertThat(million.celebrityFollowers(1)).isCloseTo(392_000, within(1_000.0));
        assertThat(million.celebrityFollowers(GraphShape.CELEBRITIES)).isEqualTo(100_000);
        int follows = 0;
        for (int i = 0; i < SAMPLE; i++) {
            if (million.followsCelebrity(1, random)) {
                follows++;
            }
        }
        assertThat(follows * 1_000_000.0 / SAMPLE).isCloseTo(392_000, within(8_000.0));
    }

    @Test
    void notablesStayBelowTheCelebrityThresholdAndTheMostNotableIsPickedMost() {
        assertThat(million.notableFollowers(1)).isEqualTo(8_000);
        int first = 0;
        int last = 0;
        for (int i = 0; i < SAMPLE; i++) {
            int rank = million.notableRank(random);
            first += rank == 1 ? 1 : 0;
            last += rank == GraphShape.NOTABLES ? 1 : 0;
        }
        assertThat(first).isGreaterThan(100 * Math.max(1, last));
    }

    @Test
    void ordinaryUsersPostTwiceOnAverageCelebritiesAbout200Times() {
        long ordinary = 0;
        long celebrity = 0;
        for (int i = 0; i < SAMPLE; i++) {
            ordinary += million.posts(GraphShape.AuthorKind.ORDINARY, random);
            celebrity += million.posts(GraphShape.AuthorKind.CELEBRITY, random);
        }
        assertThat(ordinary / (double) SAMPLE).isCloseTo(2.0, within(0.05));
        assertThat(celebrity / (double) SAMPLE).isCloseTo(200.0, within(1.0));
    }

    @Test
    void targetsShrinkWithASmallerUsersTableAndTinyTablesAreRefused() {
        assertThat(new GraphShape(100_000).celebrityFollowers(GraphShape.CELEBRITIES)).isEqualTo(10_000);
        assertThatIllegalArgumentException().isThrownBy(() -> new GraphShape(1_000));
    }
}
