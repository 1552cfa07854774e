package dev.socnet.seed;

import java.util.random.RandomGenerator;

/**
 * The shape of the seeded follow graph and posts (see docs/feed.md, "Seeded graph"), scaled to the
 * number of users. Three kinds of author:
 * <ul>
 *   <li>{@value #CELEBRITIES} celebrities with {@value #CELEBRITY_MIN_FOLLOWERS} to about 392,000
 *       followers on a million users (Zipf-like: rank r has 100,000 × (12/r)^0.55), each follower drawn
 *       independently, so the counts are binomial around those targets;</li>
 *   <li>{@value #NOTABLES} notable users with 20 to {@value #NOTABLE_MAX_FOLLOWERS} extra followers
 *       (rank r: 8,000 × r^-0.75), below the default celebrity threshold, so their posts are fanned out;</li>
 *   <li>everyone else.</li>
 * </ul>
 * Every user follows a number of others: {@value #LURKER_SHARE_PERCENT}% follow 0..19 (uniform), the
 * rest a log-normal count with median {@value #MEDIAN_FOLLOWEES} clipped to 20..200 ("most users follow
 * 20–200 others"). That count includes the celebrities and notables they follow; the remainder are
 * users picked uniformly, which gives ordinary users about as many followers as followees.
 * Posts: celebrities 150..250 each, notables 20 on average, everyone else 2 on average (a third post
 * nothing), created uniformly over the last {@value #POST_HISTORY_DAYS} days.
 * Targets are for 1,000,000 users and shrink proportionally on a smaller {@code users} table.
 */
final class GraphShape {

    static final int CELEBRITIES = 12;
    static final int CELEBRITY_MIN_FOLLOWERS = 100_000;
    static final double CELEBRITY_EXPONENT = 0.55;
    static final int NOTABLES = 3_000;
    static final int NOTABLE_MAX_FOLLOWERS = 8_000;
    static final double NOTABLE_EXPONENT = 0.75;
    static final int LURKER_SHARE_PERCENT = 10;
    static final int MIN_FOLLOWEES = 20;
    static final int MEDIAN_FOLLOWEES = 30;
    /** Log-normal sigma of the followee count: about 80% of non-lurkers between 20 and 60. */
    static final double FOLLOWEES_SIGMA = 0.6;
    static final int MAX_FOLLOWEES = 200;
    static final double ORDINARY_MEAN_POSTS = 2;
    static final double NOTABLE_MEAN_POSTS = 20;
    static final int CELEBRITY_MIN_POSTS = 150;
    static final int CELEBRITY_MAX_POSTS = 250;
    static final int POST_HISTORY_DAYS = 30;
    /** The user count the targets above are given for. */
    static final int REFERENCE_USERS = 1_000_000;

    private final int users;
    private final double scale;
    private final double[] celebrityFollowProbability = new double[CELEBRITIES];
    private final double[] notableCumulativeWeights = new double[NOTABLES];
    private final double notableFollowsPerUser;

    /** @param users number of users the graph spans, at least {@code CELEBRITIES + NOTABLES + MAX_FOLLOWEES + 1} */
    GraphShape(int users) {
        if (users <= CELEBRITIES + NOTABLES + MAX_FOLLOWEES) {
            throw new IllegalArgumentException("a seeded graph needs more than " + (CELEBRITIES + NOTABLES + MAX_FOLLOWEES)
                    + " users, the users table has " + users + " (run ./socnet seed --users N first)");
        }
        this.users = users;
        this.scale = Math.min(1.0, users / (double) REFERENCE_USERS);
        for (int rank = 1; rank <= CELEBRITIES; rank++) {
            celebrityFollowProbability[rank - 1] = Math.min(1.0, celebrityFollowers(rank) / users);
        }
        double total = 0;
        for (int rank = 1; rank <= NOTABLES; rank++) {
            total += notableFollowers(rank);
            notableCumulativeWeights[rank - 1] = total;
        }
        this.notableFollowsPerUser = total / users;
    }

    int users() {
        return users;
    }

    /** Expected followers of the celebrity of this rank (1 = the most followed). */
    double celebrityFollowers(int rank) {
        return scale * CELEBRITY_MIN_FOLLOWERS * Math.pow((double) CELEBRITIES / rank, CELEBRITY_EXPONENT);
    }

    /** Expected followers that the notable of this rank gets on top of the uniform picks. */
    double notableFollowers(int rank) {
        return scale * NOTABLE_MAX_FOLLOWERS * Math.pow(rank, -NOTABLE_EXPONENT);
    }

    /** Whether a user follows the celebrity of {@code rank}. */
    boolean followsCelebrity(int rank, RandomGenerator random) {
        return random.nextDouble() < celebrityFollowProbability[rank - 1];
    }

    /** How many notables a user follows (Poisson with the mean that yields the notables' targets). */
    int notablesFollowed(RandomGenerator random) {
        double limit = Math.exp(-notableFollowsPerUser);
        int count = -1;
        double product = 1;
        do {
            count++;
            product *= random.nextDouble();
        } while (product > limit);
        return count;
    }

    /** Rank (1-based) of a followed notable, drawn in proportion to the notables' targets. */
    int notableRank(RandomGenerator random) {
        double target = random.nextDouble(notableCumulativeWeights[NOTABLES - 1]);
        int low = 0;
        int high = NOTABLES - 1;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (notableCumulativeWeights[middle] <= target) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low + 1;
    }

    /** How many users one user follows in all. */
    int followees(RandomGenerator random) {
        if (random.nextInt(100) < LURKER_SHARE_PERCENT) {
            return random.nextInt(MIN_FOLLOWEES);
        }
        double count = MEDIAN_FOLLOWEES * Math.exp(FOLLOWEES_SIGMA * random.nextGaussian());
        return (int) Math.max(MIN_FOLLOWEES, Math.min(MAX_FOLLOWEES, Math.round(count)));
    }

    /** How many posts an author of this kind wrote. */
    int posts(AuthorKind kind, RandomGenerator random) {
        return switch (kind) {
            case CELEBRITY -> CELEBRITY_MIN_POSTS + random.nextInt(CELEBRITY_MAX_POSTS - CELEBRITY_MIN_POSTS + 1);
            case NOTABLE -> geometric(NOTABLE_MEAN_POSTS, random);
            case ORDINARY -> geometric(ORDINARY_MEAN_POSTS, random);
        };
    }

    /** The kinds of author of {@link GraphShape}. */
    enum AuthorKind { CELEBRITY, NOTABLE, ORDINARY }

    /** Geometric count 0, 1, 2, ... with the given mean. */
    private static int geometric(double mean, RandomGenerator random) {
        double p = 1 / (mean + 1);
        return (int) Math.floor(Math.log(1 - random.nextDouble()) / Math.log(1 - p));
    }
}
