package dev.socnet.seed;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Picks an index of a list ordered from most to least common with Zipf–Mandelbrot weights
 * {@code 1 / (rank + rankOffset)}, rank counted from 1: the head is frequent, the tail is rare but
 * present, as with real surnames. Precomputed cumulative weights make a pick a binary search.
 */
final class RankedChoice {

    private final double[] cumulativeWeights;

    /**
     * @param size number of ranks, at least 1
     * @param rankOffset flattens the head: 0 is plain Zipf, larger values make the top ranks closer in weight
     */
    RankedChoice(int size, double rankOffset) {
        if (size < 1) {
            throw new IllegalArgumentException("need at least one rank");
        }
        cumulativeWeights = new double[size];
        double total = 0;
        for (int i = 0; i < size; i++) {
            total += 1.0 / (i + 1 + rankOffset);
            cumulativeWeights[i] = total;
        }
    }

    /** Share of picks that land on {@code index}, in 0..1. */
    double share(int index) {
        double below = index == 0 ? 0 : cumulativeWeights[index - 1];
        return (cumulativeWeights[index] - below) / cumulativeWeights[cumulativeWeights.length - 1];
    }

    /** An index in {@code 0..size-1}, drawn from {@code random}. */
    int pick(RandomGenerator random) {
        double target = random.nextDouble(cumulativeWeights[cumulativeWeights.length - 1]);
        int found = Arrays.binarySearch(cumulativeWeights, target);
        int index = found >= 0 ? found + 1 : -found - 1;
        return Math.min(index, cumulativeWeights.length - 1);
    }
}
