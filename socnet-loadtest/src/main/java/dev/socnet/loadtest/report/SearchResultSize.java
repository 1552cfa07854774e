package dev.socnet.loadtest.report;

/**
 * How big people-search answers are for the benchmark's feeder, as measured by {@link SearchResultSizeProbe};
 * serialized as {@code result-size.json} (snake_case keys) and embedded in {@code docs/benchmarks/search.json}.
 *
 * @param feederRows (first name prefix, surname prefix) pairs in the feeder CSV, count
 * @param samples feeder entries requested (the first ones of the file, which is a random sample), count
 * @param failed requests among them that did not answer 200 with a JSON array, count
 * @param meanRows mean number of users per answer, over the answered samples (at most the app's page cap, 100);
 *     null if none was answered
 * @param maxRows largest number of users in one answer
 * @param emptyAnswers answers with no user at all, count
 * @param meanBodyBytes mean response body size, bytes; null if none was answered
 */
public record SearchResultSize(
        int feederRows,
        int samples,
        int failed,
        Double meanRows,
        int maxRows,
        int emptyAnswers,
        Double meanBodyBytes) {
}
