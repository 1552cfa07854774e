package dev.socnet;

import static dev.socnet.LocalCluster.socnet;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/**
 * The replica alerts, live (issue 14, docs/observability.md "Alert rules"): a standby of the main
 * formation stopped with {@code ./socnet db stop} makes {@code StandbyMissing} (fewer than two standbys)
 * and {@code PostgresDown} for that node fire in the Prometheus that {@code ./socnet test} runs — not
 * before their {@code for:} window, and within it plus two scrape and two evaluation intervals (and
 * {@link #SLACK}) after the stop — and no other node of the formation is reported down; once the
 * standby is started again and streams, both alerts resolve within two scrape and two evaluation
 * intervals (and {@link #SLACK}). The windows and intervals are read from the running Prometheus, so the
 * test follows the rules file.
 *
 * <p>The formation is restored after the test whatever happens (every node started, {@code ./socnet db
 * wait}: a primary and two streaming standbys), as the rest of the suite needs it. It stops a node, like
 * {@code ReplicationSystemIT}: failsafe runs the integration tests one class after another in a single
 * JVM (no parallel execution is configured), so no other test's node stop overlaps it.
 */
class ReplicaAlertSystemIT {

    /** Room for a loaded machine: a late scrape or rule evaluation, the keeper's own stop. */
    static final Duration SLACK = Duration.ofSeconds(20);

    static final String STANDBY_MISSING = "StandbyMissing";
    static final String POSTGRES_DOWN = "PostgresDown";

    @AfterEach
    void restoreFormation() {
        for (String node : LocalCluster.NODES) {
            socnet(120, "db", "start", node);
        }
        socnet(300, "db", "wait", "240");
    }

    @Test
    void aStoppedStandbyFiresItsAlertsWithinTheirWindowAndTheyResolveWhenItStreamsAgain() throws Exception {
        socnet(300, "db", "wait", "240");
        PrometheusApi.Rule standbyMissing = PrometheusApi.rule(STANDBY_MISSING);
        PrometheusApi.Rule postgresDown = PrometheusApi.rule(POSTGRES_DOWN);
        Duration scrape = PrometheusApi.scrapeInterval();
        String standby = LocalCluster.otherNodes(LocalCluster.primaryNode()).getFirst();
        System.out.printf("[replica alert] stopping %s; %s for: %s, %s for: %s, scrape %s, evaluation %s%n", standby,
                STANDBY_MISSING, standbyMissing.forWindow(), POSTGRES_DOWN, postgresDown.forWindow(), scrape,
                standbyMissing.evaluationInterval());

        // a healthy formation first: no alert of a node stopped by an earlier test is still active
        Duration settle = settle(scrape, standbyMissing).plus(SLACK);
        await(settle, () -> active(standby).isEmpty(), "alerts of a healthy formation to clear");

        Instant stopping = Instant.now();
        long stoppingAt = System.nanoTime();
        socnet(60, "db", "stop", standby);
        long stoppedAt = System.nanoTime();

        Map<String, Long> firedAt = new TreeMap<>();
        Set<String> othersDown = new TreeSet<>();
        Duration longestWindow = max(standbyMissing.forWindow(), postgresDown.forWindow());
        long deadline = stoppedAt + longestWindow.plus(settle(scrape, standbyMissing)).plus(SLACK).toNanos();
        while (firedAt.size() < 2 && System.nanoTime() < deadline) {
            Map<String, JsonNode> alerts = active(standby);
            long now = System.nanoTime();
            alerts.forEach((key, alert) -> {
                if ("firing".equals(alert.path("state").asString())) {
                    firedAt.putIfAbsent(key, now);
                    assertThat(Instant.parse(alert.path("activeAt").asString()))
                            .as("%s became pending after the stop began", key)
                            .isAfterOrEqualTo(stopping.minusSeconds(1));
                }
            });
            othersDown.addAll(downOtherThan(standby));
            Thread.sleep(500);
        }
        firedAt.forEach((key, at) -> System.out.printf("[replica alert] %s firing %d s after the stop began%n", key,
                Duration.ofNanos(at - stoppingAt).toSeconds()));
        assertThat(firedAt).as("alerts firing within their for: window + 2 scrapes + 2 evaluations + %s of the stop",
                SLACK).containsOnlyKeys(STANDBY_MISSING, POSTGRES_DOWN + " " + standby);
        assertThat(Duration.ofNanos(firedAt.get(STANDBY_MISSING) - stoppingAt)).as("%s not before its for:",
                STANDBY_MISSING).isGreaterThanOrEqualTo(standbyMissing.forWindow());
        assertThat(Duration.ofNanos(firedAt.get(POSTGRES_DOWN + " " + standby) - stoppingAt))
                .as("%s not before its for:", POSTGRES_DOWN).isGreaterThanOrEqualTo(postgresDown.forWindow());
        assertThat(othersDown).as("other nodes of the formation reported down while only %s was stopped", standby)
                .isEmpty();

        socnet(120, "db", "start", standby);
        socnet(300, "db", "wait", "240");
        long streaming = System.nanoTime();
        await(settle, () -> active(standby).isEmpty(), "the alerts to resolve after " + standby + " streams again");
        System.out.printf("[replica alert] resolved %d s after %s streamed again%n",
                Duration.ofNanos(System.nanoTime() - streaming).toSeconds(), standby);
    }

    /** Two scrape and two evaluation intervals: a change seen by a scrape, then by a rule evaluation. */
    private static Duration settle(Duration scrape, PrometheusApi.Rule rule) {
        return scrape.multipliedBy(2).plus(rule.evaluationInterval().multipliedBy(2));
    }

    /**
     * The active (pending or firing) {@code StandbyMissing} and {@code PostgresDown} of {@code node}, keyed
     * "StandbyMissing" and "PostgresDown NODE".
     */
    private static Map<String, JsonNode> active(String node) {
        Map<String, JsonNode> active = new TreeMap<>();
        PrometheusApi.alerts(STANDBY_MISSING).forEach(a -> active.put(STANDBY_MISSING, a));
        for (JsonNode a : PrometheusApi.alerts(POSTGRES_DOWN)) {
            JsonNode labels = a.path("labels");
            if ("main".equals(labels.path("cluster").asString()) && node.equals(labels.path("node").asString())) {
                active.put(POSTGRES_DOWN + " " + node, a);
            }
        }
        return active;
    }

    /** Nodes of the main formation (the monitor too) other than {@code node} that PostgresDown fires for. */
    private static List<String> downOtherThan(String node) {
        return PrometheusApi.alerts(POSTGRES_DOWN).stream()
                .filter(a -> "firing".equals(a.path("state").asString()))
                .map(a -> a.path("labels"))
                .filter(l -> "main".equals(l.path("cluster").asString()) && !node.equals(l.path("node").asString()))
                .map(l -> l.path("node").asString())
                .toList();
    }

    private static void await(Duration atMost, BooleanSupplier condition, String what) {
        try {
            Awaitility.await(what).atMost(atMost).pollInterval(Duration.ofMillis(500))
                    .until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("waited " + atMost + " for " + what + "; active alerts: "
                    + PrometheusApi.get("/api/v1/alerts").path("data").path("alerts"), e);
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
