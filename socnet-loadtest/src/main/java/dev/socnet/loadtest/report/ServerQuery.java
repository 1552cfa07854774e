package dev.socnet.loadtest.report;

import java.util.List;
import java.util.Map;

/**
 * A server-side figure a benchmark takes from Prometheus over a run's window: one PromQL expression, and how
 * its series are named in the report.
 *
 * @param figure what the series measure, one chart and one table column group per figure (for example
 *     {@value #CPU}); series of several queries with the same figure share them
 * @param unit the unit of the values, for axis titles (for example {@code "cores"})
 * @param name the series' name when the expression yields one series; with {@code label} set, a prefix
 *     (may be empty) of each series' label value
 * @param label the label whose value names each series when the expression yields several (for example
 *     {@code "node"}), or null
 * @param promql the expression, evaluated at every step of the window
 */
public record ServerQuery(String figure, String unit, String name, String label, String promql) {

    /** CPU per component, in cores (CPU seconds per second). */
    public static final String CPU = "cpu";
    /** Statements per PostgreSQL node of the main formation, per second (pg_stat_statements). */
    public static final String STATEMENTS = "statements";
    /** The role of each PostgreSQL node: 1 on a standby (replica), 0 on the primary. */
    public static final String IN_RECOVERY = "in-recovery";
    /** Share of feed pages served from Redis. */
    public static final String CACHE_HIT_RATIO = "cache-hit-ratio";
    /** Feed pages served per second, by source. */
    public static final String FEED_READS = "feed-reads";
    /** Fan-out lag (post commit to present in every follower's cached feed), seconds, by quantile. */
    public static final String FAN_OUT_LAG = "fan-out-lag";
    /** Requests the app instances under test answered per second (their own Micrometer count). */
    public static final String SERVER_REQUESTS = "server-requests";

    /** Window of the rates: four scrapes of the default 5 s interval, so a rate always has samples. */
    static final String RATE_WINDOW = "20s";

    /**
     * CPU of every component of the cluster, in cores:
     * the app instances under test ({@code process_cpu_time_ns_total} of their Micrometer registry, one series
     * per instance), each PostgreSQL node of the main formation (prometheus-process-exporter's group of the
     * postmaster and its backends), Redis (its exporter's user + system CPU), RabbitMQ (its Erlang VM's
     * runtime, {@code erlang_vm_statistics_runtime_milliseconds}), HAProxy (process exporter), and the whole
     * host busy (node exporter: all modes but idle and iowait; includes the load generator).
     *
     * @param appSelector the label matchers of the app instances under test, for example
     *     {@code node="bench-feed"} or {@code job="socnet-app"}
     */
    static List<ServerQuery> cpu(String appSelector) {
        String w = RATE_WINDOW;
        return List.of(
                new ServerQuery(CPU, "cores", "app ", "node",
                        "sum by (node) (rate(process_cpu_time_ns_total{" + appSelector + "}[" + w + "])) / 1e9"),
                new ServerQuery(CPU, "cores", "postgresql ", "node",
                        "label_replace(sum by (groupname) (rate(namedprocess_namegroup_cpu_seconds_total{groupname=~\"postgresql-main-.*\"}[" + w
                                + "])), \"node\", \"$1\", \"groupname\", \"postgresql-main-(.*)\")"),
                new ServerQuery(CPU, "cores", "redis", null,
                        "sum(rate(redis_cpu_user_seconds_total[" + w + "]) + rate(redis_cpu_sys_seconds_total[" + w + "]))"),
                new ServerQuery(CPU, "cores", "rabbitmq", null,
                        "sum(rate(erlang_vm_statistics_runtime_milliseconds{job=\"rabbitmq\"}[" + w + "])) / 1000"),
                new ServerQuery(CPU, "cores", "haproxy", null,
                        "sum(rate(namedprocess_namegroup_cpu_seconds_total{groupname=\"haproxy\"}[" + w + "]))"),
                new ServerQuery(CPU, "cores", "host busy", null,
                        "sum(rate(node_cpu_seconds_total{mode!~\"idle|iowait|steal\"}[" + w + "]))"));
    }

    /** Statements per second on each node of the main formation (all databases), and each node's role. */
    static List<ServerQuery> statements() {
        return List.of(
                new ServerQuery(STATEMENTS, "statements / s", "", "node",
                        "sum by (node) (rate(pg_statements_calls_total{cluster=\"main\",node!=\"monitor\"}[" + RATE_WINDOW + "]))"),
                new ServerQuery(IN_RECOVERY, "1 = replica", "", "node",
                        "max by (node) (pg_standby_in_recovery{cluster=\"main\"})"));
    }

    /** Requests per second the app instances under test counted (all endpoints). */
    static ServerQuery serverRequests(String appSelector) {
        return new ServerQuery(SERVER_REQUESTS, "requests / s", "app", null,
                "sum(rate(http_server_requests_seconds_count{" + appSelector + "}[" + RATE_WINDOW + "]))");
    }

    /**
     * The figures of {@code ./socnet bench replicas}: its own app instance ({@code node="<instance>"}), or every
     * instance of job socnet-app when {@code instance} is blank.
     */
    public static List<ServerQuery> replicas(String instance) {
        String app = instance == null || instance.isBlank() ? "job=\"socnet-app\""
                : "job=\"socnet-app\",node=\"" + instance + "\"";
        return concat(cpu(app), statements(), List.of(serverRequests(app)));
    }

    /**
     * The figures of {@code ./socnet bench feed}: its own app instance, announced to Prometheus under
     * {@code node="<instance>"}.
     *
     * @param instance the {@code node} label of the bench's app instance
     */
    public static List<ServerQuery> feed(String instance) {
        String app = "job=\"socnet-app\",node=\"" + instance + "\"";
        String w = RATE_WINDOW;
        return concat(cpu(app), statements(), List.of(serverRequests(app),
                new ServerQuery(CACHE_HIT_RATIO, "share of pages", "from Redis", null,
                        "sum(rate(socnet_feed_reads_total{" + app + ",source=\"redis\"}[" + w + "]))"
                                + " / sum(rate(socnet_feed_reads_total{" + app + "}[" + w + "]))"),
                new ServerQuery(FEED_READS, "pages / s", "", "source",
                        "sum by (source) (rate(socnet_feed_reads_total{" + app + "}[" + w + "]))"),
                new ServerQuery(FAN_OUT_LAG, "seconds", "p50", null,
                        "histogram_quantile(0.5, sum by (le) (rate(socnet_feed_fan_out_lag_seconds_bucket{" + app + "}[" + w + "])))"),
                new ServerQuery(FAN_OUT_LAG, "seconds", "p99", null,
                        "histogram_quantile(0.99, sum by (le) (rate(socnet_feed_fan_out_lag_seconds_bucket{" + app + "}[" + w + "])))")));
    }

    /**
     * The query sets by name, for the command line.
     *
     * @param set {@code replicas} or {@code feed}
     * @param instance the bench's app instance ({@code node} label)
     * @throws IllegalArgumentException for another name
     */
    public static List<ServerQuery> named(String set, String instance) {
        return switch (set) {
            case "replicas" -> replicas(instance);
            case "feed" -> feed(instance);
            default -> throw new IllegalArgumentException("unknown query set " + set + " (replicas, feed)");
        };
    }

    /** This query's name for one series it yielded. */
    String seriesName(Map<String, String> labels) {
        return label == null ? name : name + labels.getOrDefault(label, "?");
    }

    @SafeVarargs
    private static List<ServerQuery> concat(List<ServerQuery>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
