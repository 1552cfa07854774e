package dev.socnet.loadtest;

import static io.gatling.javaapi.core.CoreDsl.global;

import io.gatling.javaapi.core.Assertion;
import java.util.ArrayList;
import java.util.List;

/**
 * The targets a single load run must meet, as Gatling assertions: a run that misses one fails (Gatling reports the
 * assertion, and {@code gatling:test}, so the bench script, exits non-zero). Targets that compare runs (cached vs
 * uncached, sync vs async) are checked by the report mains, which exit non-zero in the same way.
 *
 * <p>System properties, read by every simulation:
 * <ul>
 *   <li>{@code maxKoPercent} ({@value #DEFAULT_MAX_KO_PERCENT}): the most failed requests (bad status, timeout,
 *       connection error) a run may have, percent of all;</li>
 *   <li>{@code maxP99Ms} (none): the slowest 99th percentile response time over all requests, ms;</li>
 *   <li>{@code minRequestsPerS} (none): the least mean throughput of the run, requests per second.</li>
 * </ul>
 */
public final class BenchAssertions {

    public static final double DEFAULT_MAX_KO_PERCENT = 1.0;

    private BenchAssertions() {
    }

    /** The assertions the system properties ask for: always the failed-request bound, the others when set. */
    public static List<Assertion> fromSystemProperties() {
        List<Assertion> assertions = new ArrayList<>();
        double maxKoPercent = Double.parseDouble(System.getProperty("maxKoPercent", Double.toString(DEFAULT_MAX_KO_PERCENT)));
        assertions.add(global().failedRequests().percent().lte(maxKoPercent));
        String maxP99Ms = System.getProperty("maxP99Ms", "");
        if (!maxP99Ms.isBlank()) {
            assertions.add(global().responseTime().percentile(99.0).lte(Integer.parseInt(maxP99Ms.strip())));
        }
        String minRequestsPerS = System.getProperty("minRequestsPerS", "");
        if (!minRequestsPerS.isBlank()) {
            assertions.add(global().requestsPerSec().gte(Double.parseDouble(minRequestsPerS.strip())));
        }
        return assertions;
    }
}
