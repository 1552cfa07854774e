package dev.socnet.loadtest.report;

/**
 * One people-search load run, as written to {@code docs/benchmarks/search.json} (snake_case keys).
 * Latencies are Gatling's response times over all requests of the run (OK and errors together), in whole
 * milliseconds; null where Gatling had nothing to measure.
 *
 * @param variant {@code indexed} (with {@code users_name_prefix_idx}) or {@code unindexed} (index dropped)
 * @param users concurrent virtual users, each sending requests back to back
 * @param throughputRps successful (HTTP 200) requests per second, mean over the run
 * @param p50Ms median response time, ms
 * @param p95Ms 95th percentile response time, ms
 * @param p99Ms 99th percentile response time, ms
 * @param p999Ms 99.9th percentile response time, ms
 * @param maxMs maximum response time, ms
 * @param meanMs mean response time, ms
 * @param requests requests completed during the run, count
 * @param errors requests that failed (status other than 200, timeout, connection error), count
 * @param meanResultRows mean users per answer for this feeder (measured once by {@link SearchResultSizeProbe}:
 *     the answers do not depend on the variant); null if not measured
 * @param report the Gatling HTML report directory of the run, relative to the repository root
 */
public record SearchRun(
        String variant,
        int users,
        double throughputRps,
        Double p50Ms,
        Double p95Ms,
        Double p99Ms,
        Double p999Ms,
        Double maxMs,
        Double meanMs,
        long requests,
        long errors,
        Double meanResultRows,
        String report) {

    /**
     * Builds the run's record from Gatling's global statistics.
     *
     * @param variant {@code indexed} or {@code unindexed}
     * @param users concurrent virtual users
     * @param stats the run's Gatling statistics
     * @param meanResultRows mean users per answer, or null
     * @param report report directory, relative to the repository root
     * @return the run
     */
    public static SearchRun of(String variant, int users, GatlingRunStats stats, Double meanResultRows, String report) {
        return new SearchRun(
                variant,
                users,
                Math.round(stats.okPerS() * 10) / 10.0,
                orNull(stats.p50Ms()),
                orNull(stats.p95Ms()),
                orNull(stats.p99Ms()),
                orNull(stats.p999Ms()),
                orNull(stats.maxMs()),
                orNull(stats.meanMs()),
                stats.requests(),
                stats.ko(),
                meanResultRows == null ? null : Math.round(meanResultRows * 10) / 10.0,
                report);
    }

    private static Double orNull(double value) {
        return Double.isNaN(value) ? null : value;
    }
}
