package dev.socnet.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

import org.junit.jupiter.api.Test;

class RankedChoiceTest {

    @Test
    void sharesFallWithRankAndSumToOne() {
        RankedChoice choice = new RankedChoice(250, 10);
        double total = 0;
        for (int i = 0; i < 250; i++) {
            total += choice.share(i);
        }
        assertThat(total).isCloseTo(1.0, within(1e-9));
        assertThat(choice.share(0)).isCloseTo(0.028, within(0.001));
        assertThat(choice.share(249)).isCloseTo(0.0012, within(0.0001));
    }

    @Test
    void picksFollowTheShares() {
        RankedChoice choice = new RankedChoice(250, 10);
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(1);
        int[] hits = new int[250];
        int picks = 1_000_000;
        for (int i = 0; i < picks; i++) {
            hits[choice.pick(random)]++;
        }
        assertThat(hits[0] / (double) picks).isCloseTo(choice.share(0), within(0.002));
        assertThat(hits[249]).isPositive();
    }
}
