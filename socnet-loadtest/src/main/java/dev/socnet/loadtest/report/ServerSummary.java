package dev.socnet.loadtest.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server side of one run in a few numbers, from its {@link ServerMetrics}: means over the run's window.
 *
 * @param cpuCores mean CPU per component, cores (CPU seconds per second), by series name ({@code app bench-feed},
 *     {@code postgresql primary}, {@code redis}, {@code rabbitmq}, {@code haproxy}, {@code host busy})
 * @param statementsPerS mean statements per second per PostgreSQL node of the main formation (all databases,
 *     pg_stat_statements), by node name
 * @param roles each node's role during the run, {@code primary} or {@code replica} (its last sample of
 *     {@code pg_standby_in_recovery})
 * @param serverRequestsPerS mean requests per second the app instances under test counted, null without data
 * @param cacheHitRatio mean share of feed pages served from Redis, 0..1, null without data (no reads)
 * @param fanOutLagP99S largest 99th percentile of the fan-out lag over the window, seconds, null without data
 */
public record ServerSummary(Map<String, Double> cpuCores, Map<String, Double> statementsPerS, Map<String, String> roles,
        Double serverRequestsPerS, Double cacheHitRatio, Double fanOutLagP99S) {

    /** Summarizes {@code metrics}. */
    public static ServerSummary of(ServerMetrics metrics) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        metrics.figure(ServerQuery.CPU).forEach(s -> cpu.put(s.name(), round(s.mean(), 3)));
        Map<String, Double> statements = new LinkedHashMap<>();
        metrics.figure(ServerQuery.STATEMENTS).forEach(s -> statements.put(s.name(), round(s.mean(), 1)));
        Map<String, String> roles = new LinkedHashMap<>();
        metrics.figure(ServerQuery.IN_RECOVERY).forEach(s -> roles.put(s.name(),
                Double.isNaN(s.last()) ? "?" : s.last() >= 1 ? "replica" : "primary"));
        return new ServerSummary(cpu, statements, roles,
                metrics.figure(ServerQuery.SERVER_REQUESTS).stream().findFirst().map(s -> round(s.mean(), 1)).orElse(null),
                metrics.figure(ServerQuery.CACHE_HIT_RATIO).stream().findFirst().map(s -> round(s.mean(), 4)).orElse(null),
                metrics.find(ServerQuery.FAN_OUT_LAG, "p99").map(s -> round(s.max(), 4)).orElse(null));
    }

    /** CPU of the series whose names start with {@code prefix}, summed, cores; NaN when there is none (no data). */
    public double cpuOf(String prefix) {
        double[] values = cpuCores.entrySet().stream().filter(e -> e.getKey().startsWith(prefix) && e.getValue() != null)
                .mapToDouble(Map.Entry::getValue).toArray();
        return values.length == 0 ? Double.NaN : java.util.Arrays.stream(values).sum();
    }

    /** Share of all statements that ran on replicas, 0..1, NaN when none ran. */
    public double replicaStatementShare() {
        double all = statementsPerS.values().stream().filter(v -> v != null).mapToDouble(Double::doubleValue).sum();
        double replicas = statementsPerS.entrySet().stream().filter(e -> "replica".equals(roles.get(e.getKey())))
                .filter(e -> e.getValue() != null).mapToDouble(Map.Entry::getValue).sum();
        return all == 0 ? Double.NaN : replicas / all;
    }

    private static Double round(double value, int decimals) {
        if (!Double.isFinite(value)) {
            return null;
        }
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
