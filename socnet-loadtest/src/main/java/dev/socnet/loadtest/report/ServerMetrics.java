package dev.socnet.loadtest.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server side of one benchmark run, as Prometheus recorded it: every series of a query set
 * ({@link ServerQuery}) over the run's window, at a fixed step. Written next to the run's Gatling report as
 * {@value #FILE} by {@link #main}, read back by the reports.
 *
 * @param fromEpochS start of the window, seconds since the epoch
 * @param toEpochS end of the window, seconds since the epoch
 * @param stepS seconds between samples
 * @param series the series, in the order of the queries; a query that matched nothing has none (for
 *     example a target Prometheus did not scrape in that run)
 */
public record ServerMetrics(long fromEpochS, long toEpochS, long stepS, List<ServerSeries> series) {

    /** The file name in a run directory. */
    public static final String FILE = "server-metrics.json";

    static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * One named series of one figure.
     *
     * @param figure the figure ({@link ServerQuery#figure()})
     * @param unit its unit
     * @param name the series' name in charts and tables (for example {@code "postgresql replica1"})
     * @param samples its samples, oldest first
     */
    public record ServerSeries(String figure, String unit, String name, List<PrometheusClient.Sample> samples) {

        /** Mean of the finite sample values, NaN when there are none. */
        public double mean() {
            return samples.stream().mapToDouble(PrometheusClient.Sample::value).filter(Double::isFinite).average()
                    .orElse(Double.NaN);
        }

        /** Largest finite sample value, NaN when there are none. */
        public double max() {
            return samples.stream().mapToDouble(PrometheusClient.Sample::value).filter(Double::isFinite).max()
                    .orElse(Double.NaN);
        }

        /** Last finite sample value, NaN when there are none. */
        public double last() {
            double last = Double.NaN;
            for (PrometheusClient.Sample s : samples) {
                if (Double.isFinite(s.value())) {
                    last = s.value();
                }
            }
            return last;
        }
    }

    /**
     * Evaluates every query over the window.
     *
     * @param prometheus the client
     * @param queries the figures to take
     * @param from start of the window
     * @param to end of the window
     * @param step time between samples
     * @return the series, named by their query
     * @throws IOException if Prometheus cannot be reached or rejects a query
     */
    public static ServerMetrics fetch(PrometheusClient prometheus, List<ServerQuery> queries, Instant from, Instant to,
            Duration step) throws IOException {
        List<ServerSeries> series = new ArrayList<>();
        for (ServerQuery q : queries) {
            for (PrometheusClient.Series s : prometheus.queryRange(q.promql(), from, to, step)) {
                series.add(new ServerSeries(q.figure(), q.unit(), q.seriesName(s.labels()), s.samples()));
            }
        }
        return new ServerMetrics(from.getEpochSecond(), to.getEpochSecond(), step.toSeconds(), List.copyOf(series));
    }

    /** The series of one figure, in query order. */
    public List<ServerSeries> figure(String figure) {
        return series.stream().filter(s -> s.figure().equals(figure)).toList();
    }

    /** The series of one figure with this name. */
    public Optional<ServerSeries> find(String figure, String name) {
        return series.stream().filter(s -> s.figure().equals(figure) && s.name().equals(name)).findFirst();
    }

    /** The window's length, seconds. */
    public long durationS() {
        return toEpochS - fromEpochS;
    }

    /**
     * Reads {@value #FILE} of a run directory.
     *
     * @return the metrics, or empty when the run has none (a run from before the benchmarks read Prometheus)
     * @throws IOException if the file exists but cannot be read
     */
    public static Optional<ServerMetrics> read(Path runDir) throws IOException {
        Path file = runDir.resolve(FILE);
        return Files.exists(file) ? Optional.of(JSON.readValue(file.toFile(), ServerMetrics.class)) : Optional.empty();
    }

    /**
     * Takes a run's server-side figures from Prometheus and writes them as JSON. Arguments ({@code --name=value}):
     * {@code prometheus} (base URL), {@code set} ({@code replicas} | {@code feed}), {@code instance} (the feed
     * bench's app instance, its {@code node} label), {@code from} and {@code to} (the window, epoch seconds),
     * {@code step-s} (5), {@code out} (the JSON file).
     */
    public static void main(String[] args) throws IOException {
        MainArguments a = MainArguments.parse(args);
        PrometheusClient prometheus = new PrometheusClient(java.net.URI.create(a.require("prometheus")));
        Instant from = Instant.ofEpochSecond(Long.parseLong(a.require("from")));
        Instant to = Instant.ofEpochSecond(Long.parseLong(a.require("to")));
        ServerMetrics metrics = fetch(prometheus, ServerQuery.named(a.require("set"), a.stringOr("instance", "")), from, to,
                Duration.ofSeconds(a.intOr("step-s", 5)));
        Path out = a.requirePath("out");
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), metrics);
        long empty = ServerQuery.named(a.require("set"), a.stringOr("instance", "")).stream()
                .map(ServerQuery::figure).distinct().filter(f -> metrics.figure(f).isEmpty()).count();
        System.out.printf("%d series over %d s from %s%s%n", metrics.series().size(), metrics.durationS(),
                a.require("prometheus"), empty == 0 ? "" : " (" + empty + " figure(s) without data)");
    }
}
