package dev.socnet.seed;

import java.time.Duration;
import java.util.List;

/**
 * Outcome of a committed {@link GraphSeeder#seed graph seed}.
 *
 * @param users                users the graph spans
 * @param follows              rows inserted into {@code friends}
 * @param followeesMedian      median number of users a user follows
 * @param followeesP90         90th percentile of it
 * @param followeesMax         largest number of users one user follows
 * @param celebrityFollowers   followers of each seeded celebrity, most followed first
 * @param crowned              users with more followers than the celebrity threshold (now in {@code celebrities})
 * @param posts                rows inserted into {@code posts}
 * @param copy                 wall time of both COPYs
 * @param indexes              wall time of re-creating keys, indexes and foreign keys
 * @param vacuum               wall time of {@code VACUUM (ANALYZE)} after the commit
 */
public record GraphReport(int users, long follows, int followeesMedian, int followeesP90, int followeesMax,
        List<Integer> celebrityFollowers, long crowned, long posts, Duration copy, Duration indexes, Duration vacuum) {
}
