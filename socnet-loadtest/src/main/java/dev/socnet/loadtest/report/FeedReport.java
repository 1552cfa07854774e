package dev.socnet.loadtest.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.LinkedHashMap;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;

/**
 * Turns the runs of {@code ./socnet bench feed} into {@code docs/benchmarks}: {@value #JSON_FILE}, the generated
 * results section of {@value #MARKDOWN_FILE} (between {@link GeneratedMarkdownSection} markers) and five PNG
 * charts (the fifth, CPU per read by component, when the runs carry {@value ServerMetrics#FILE}), charts of the server
 * side over time (Prometheus: {@link #writeServerCharts}), and checks the issue's targets: cached feed throughput at least 5× uncached at 100 users; celebrity
 * post-create p99 within 2× of an ordinary author's; a 10,000-follower fan-out complete within 2 s.
 *
 * <p>Arguments ({@code --name=value}): {@code runs} — directory with Gatling reports at
 * {@code read/<cached|uncached>/u<N>} (first page), {@code scroll/<cached|uncached>/u<N>} (deep pages, optional)
 * and {@code create/<ordinary|celebrity>/u<N>}; {@code scroll-pages} — how many pages the deep reads spread over; {@code fan-out} — the
 * {@link FanOutProbe.FanOutResult} JSON; {@code docs} — output directory; {@code duration-s};
 * {@code environment}, {@code graph}, {@code authors} — free text for the record.
 */
public final class FeedReport {

    public static final String JSON_FILE = "feed.json";
    public static final String MARKDOWN_FILE = "feed.md";
    public static final List<String> READ_VARIANTS = List.of("cached", "uncached");
    public static final List<String> AUTHOR_KINDS = List.of("ordinary", "celebrity");
    /** Targets of the issue. */
    public static final double MIN_CACHED_SPEEDUP = 5;
    public static final double MAX_CELEBRITY_P99_RATIO = 2;
    public static final double MAX_FAN_OUT_MS = 2000;

    private FeedReport() {
    }

    /**
     * One Gatling run of the feed benchmark (latencies in ms, Gatling's response times, all requests), with the server
     * side's figures Prometheus recorded over its window (null when the run directory has no {@value ServerMetrics#FILE}).
     */
    public record Run(String kind, String variant, int users, double throughputRps, Double p50Ms, Double p95Ms,
            Double p99Ms, Double maxMs, long requests, long errors, ServerSummary server, String report) {

        static Run of(String kind, String variant, int users, GatlingRunStats stats, ServerSummary server, String report) {
            return new Run(kind, variant, users, Math.round(stats.okPerS() * 10) / 10.0, orNull(stats.p50Ms()),
                    orNull(stats.p95Ms()), orNull(stats.p99Ms()), orNull(stats.maxMs()), stats.requests(), stats.ko(), server,
                    report);
        }

        /** CPU ms per request of the components whose series names start with {@code prefix} (mean cores / req/s). */
        double cpuMsPerRequest(String prefix) {
            return server == null || throughputRps <= 0 ? Double.NaN : server.cpuOf(prefix) * 1000 / throughputRps;
        }

        String label() {
            return variant + " " + users;
        }
    }

    /** The stacked chart of CPU per first-page read, by component. */
    static final String CPU_CHART = "feed-read-cpu.png";
    /** Components of the CPU per read table and chart: series name prefix and title. */
    static final List<List<String>> CPU_COMPONENTS = List.of(List.of("app ", "app"), List.of("postgresql ", "PostgreSQL"),
            List.of("redis", "Redis"), List.of("rabbitmq", "RabbitMQ"));

    /** The verdict on one target: the measured value, the bound, and whether it holds. */
    public record Target(String name, double measured, double bound, boolean met) {
    }

    /** The whole {@value #JSON_FILE}. */
    public record Benchmark(String generatedAt, int durationS, int scrollPages, String environment, String graph,
            String authors, List<Run> runs, FanOutProbe.FanOutResult fanOut, List<Target> targets) {
    }

    public static void main(String[] args) throws IOException {
        MainArguments arguments = MainArguments.parse(args);
        Path runsDir = arguments.requirePath("runs");
        List<Run> runs = new ArrayList<>();
        for (String variant : READ_VARIANTS) {
            runs.addAll(read(runsDir.resolve("read").resolve(variant), "read", variant));
        }
        for (String variant : READ_VARIANTS) {
            runs.addAll(read(runsDir.resolve("scroll").resolve(variant), "scroll", variant));
        }
        for (String kind : AUTHOR_KINDS) {
            runs.addAll(read(runsDir.resolve("create").resolve(kind), "create", kind));
        }
        FanOutProbe.FanOutResult fanOut = SearchResultSizeProbe.JSON.readValue(arguments.requirePath("fan-out").toFile(),
                FanOutProbe.FanOutResult.class);
        Path fanOutServer = Path.of(arguments.stringOr("fan-out-server", "-"));
        ServerMetrics fanOutMetrics = Files.exists(fanOutServer)
                ? ServerMetrics.JSON.readValue(fanOutServer.toFile(), ServerMetrics.class) : null;
        List<Target> targets = targets(runs, fanOut);
        Benchmark benchmark = new Benchmark(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                arguments.intOr("duration-s", 60), arguments.intOr("scroll-pages", 0), arguments.stringOr("environment", ""),
                arguments.stringOr("graph", ""),
                arguments.stringOr("authors", ""), runs, fanOut, targets);

        Path docs = arguments.requirePath("docs");
        Files.createDirectories(docs);
        SearchResultSizeProbe.JSON.writerWithDefaultPrettyPrinter().writeValue(docs.resolve(JSON_FILE).toFile(), benchmark);
        writeCharts(runs, fanOut, docs);
        writeServerCharts(runsDir, runs, fanOutMetrics, docs);
        GeneratedMarkdownSection.write(docs.resolve(MARKDOWN_FILE), "News feed benchmark", markdown(benchmark));
        targets.forEach(t -> System.out.printf(Locale.ROOT, "%s: %.2f (bound %.2f) %s%n", t.name(), t.measured(), t.bound(),
                t.met() ? "MET" : "NOT MET"));
        if (targets.stream().anyMatch(t -> !t.met())) {
            System.exit(TARGET_MISSED_EXIT);   // after writing everything: the results stand, the run fails
        }
    }

    /** Exit status of the report mains when the results are written but a target is missed. */
    public static final int TARGET_MISSED_EXIT = 3;

    private static List<Run> read(Path variantDir, String kind, String variant) throws IOException {
        List<Run> runs = new ArrayList<>();
        if (!Files.isDirectory(variantDir)) {
            return runs;
        }
        try (var dirs = Files.list(variantDir)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().matches("u\\d+")).sorted().toList()) {
                int users = Integer.parseInt(dir.getFileName().toString().substring(1));
                GatlingRunStats stats = GatlingRunStats.read(dir);
                ServerSummary server = ServerMetrics.read(dir).map(ServerSummary::of).orElse(null);
                runs.add(Run.of(kind, variant, users, stats, server, dir.toString()));
            }
        }
        runs.sort((a, b) -> Integer.compare(a.users(), b.users()));
        return runs;
    }

    static List<Target> targets(List<Run> runs, FanOutProbe.FanOutResult fanOut) {
        List<Target> targets = new ArrayList<>();
        int most = runs.stream().filter(r -> r.kind().equals("read")).mapToInt(Run::users).max().orElse(0);
        Optional<Run> cached = find(runs, "read", "cached", most);
        Optional<Run> uncached = find(runs, "read", "uncached", most);
        if (cached.isPresent() && uncached.isPresent() && uncached.get().throughputRps() > 0) {
            double speedup = cached.get().throughputRps() / uncached.get().throughputRps();
            targets.add(new Target("cached / uncached feed throughput at " + most + " users", speedup, MIN_CACHED_SPEEDUP,
                    speedup >= MIN_CACHED_SPEEDUP));
        }
        Optional<Run> ordinary = runs.stream().filter(r -> r.kind().equals("create") && r.variant().equals("ordinary")).findFirst();
        Optional<Run> celebrity = runs.stream().filter(r -> r.kind().equals("create") && r.variant().equals("celebrity")).findFirst();
        if (ordinary.isPresent() && celebrity.isPresent() && ordinary.get().p99Ms() != null && celebrity.get().p99Ms() != null) {
            double ratio = celebrity.get().p99Ms() / Math.max(1, ordinary.get().p99Ms());
            targets.add(new Target("celebrity / ordinary post-create p99", ratio, MAX_CELEBRITY_P99_RATIO,
                    ratio <= MAX_CELEBRITY_P99_RATIO));
        }
        double slowest = fanOut.fanOutMs().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        targets.add(new Target("slowest fan-out to " + fanOut.followers() + " cached feeds, ms", slowest, MAX_FAN_OUT_MS,
                slowest <= MAX_FAN_OUT_MS));
        return targets;
    }

    /** The Markdown section (template {@code templates/feed.md.mustache}). */
    static String markdown(Benchmark b) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("generatedAt", b.generatedAt());
        view.put("durationS", b.durationS());
        view.put("environment", b.environment());
        view.put("graph", b.graph());
        view.put("authors", b.authors());
        view.put("scrollPages", b.scrollPages());
        view.put("lastOffset", 10 * (b.scrollPages() - 1));
        view.put("targets", b.targets().stream().map(t -> Map.of("name", t.name(),
                "measured", MarkdownTemplates.number(t.measured(), 2),
                "bound", (t.name().startsWith("cached") ? "≥ " : "≤ ") + MarkdownTemplates.number(t.bound(), 0),
                "verdict", t.met() ? "met" : "**not met**")).toList());
        List<Run> reads = b.runs().stream().filter(r -> r.kind().equals("read")).toList();
        List<Run> scrolls = b.runs().stream().filter(r -> r.kind().equals("scroll")).toList();
        List<Run> creates = b.runs().stream().filter(r -> r.kind().equals("create")).toList();
        view.put("reads", rows(reads));
        view.put("readsServer", serverRows(reads));
        view.put("hasReadsServer", !serverRows(reads).isEmpty());
        view.put("scrolls", scrolls.isEmpty() ? List.of() : List.of(Map.of("rows", rows(scrolls), "server", serverRows(scrolls),
                "hasServer", !serverRows(scrolls).isEmpty())));
        view.put("creates", rows(creates));
        view.put("createsServer", serverRows(creates));
        view.put("hasCreatesServer", !serverRows(creates).isEmpty());
        FanOutProbe.FanOutResult f = b.fanOut();
        view.put("fanOut", Map.of("followers", f.followers(), "rounds", f.rounds(),
                "minMs", MarkdownTemplates.ms(min(f.fanOutMs())), "medianMs", MarkdownTemplates.ms(median(f.fanOutMs())),
                "maxMs", MarkdownTemplates.ms(max(f.fanOutMs())), "createMedianMs", MarkdownTemplates.ms(median(f.createMs())),
                "warmS", MarkdownTemplates.number(f.warmS(), 1)));
        view.put("serverCharts", b.runs().stream().anyMatch(r -> r.server() != null));
        return MarkdownTemplates.render("feed", view);
    }

    private static List<Map<String, Object>> rows(List<Run> runs) {
        return runs.stream().map(r -> Map.<String, Object>of("variant", r.variant(), "users", r.users(),
                "rps", MarkdownTemplates.number(r.throughputRps(), 1), "p50", MarkdownTemplates.ms(r.p50Ms()),
                "p95", MarkdownTemplates.ms(r.p95Ms()), "p99", MarkdownTemplates.ms(r.p99Ms()), "max", MarkdownTemplates.ms(r.maxMs()),
                "requests", r.requests(), "errors", r.errors())).toList();
    }

    /** Per run with server figures: CPU ms per request by component, host busy, hit ratio, statements per node. */
    private static List<Map<String, Object>> serverRows(List<Run> runs) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Run r : runs.stream().filter(r -> r.server() != null).toList()) {
            Map<String, Object> row = new LinkedHashMap<>();
            ServerSummary s = r.server();
            row.put("variant", r.variant());
            row.put("users", r.users());
            double total = 0;
            for (List<String> c : CPU_COMPONENTS) {
                double ms = r.cpuMsPerRequest(c.get(0));
                row.put(c.get(1), MarkdownTemplates.number(ms, 3));
                total += Double.isFinite(ms) ? ms : 0;
            }
            row.put("total", MarkdownTemplates.number(total, 3));
            Double host = s.cpuCores().get("host busy");
            row.put("hostBusy", host == null ? "–" : MarkdownTemplates.number(host, 2));
            row.put("hitRatio", s.cacheHitRatio() == null ? "–" : MarkdownTemplates.number(100 * s.cacheHitRatio(), 1) + " %");
            row.put("lagP99", s.fanOutLagP99S() == null ? "–" : MarkdownTemplates.ms(1000 * s.fanOutLagP99S()));
            row.put("statements", s.statementsPerS().entrySet().stream()
                    .map(e -> e.getKey() + " (" + s.roles().getOrDefault(e.getKey(), "?") + ") "
                            + MarkdownTemplates.number(e.getValue(), 0))
                    .collect(java.util.stream.Collectors.joining(", ")));
            rows.add(row);
        }
        return rows;
    }

    private static void writeCharts(List<Run> runs, FanOutProbe.FanOutResult fanOut, Path docs) throws IOException {
        List<Run> reads = runs.stream().filter(r -> r.kind().equals("read")).toList();
        List<Integer> levels = reads.stream().map(Run::users).distinct().sorted().toList();
        CategoryChart throughput = ReportCharts.bars("Feed read throughput", "concurrent users", "successful requests / s");
        for (String variant : READ_VARIANTS) {
            throughput.addSeries(variant, labels(levels), values(reads, variant, levels, Run::throughputRps));
        }
        ReportCharts.save(throughput, docs.resolve("feed-read-throughput.png"));

        CategoryChart latency = ReportCharts.bars("Feed read latency", "variant, concurrent users", "response time, ms");
        List<String> categories = new ArrayList<>();
        for (String variant : READ_VARIANTS) {
            levels.forEach(users -> categories.add(variant + " " + users));
        }
        for (String name : List.of("p50", "p95", "p99")) {
            Function<Run, Double> metric = name.equals("p50") ? Run::p50Ms : name.equals("p95") ? Run::p95Ms : Run::p99Ms;
            List<Double> values = new ArrayList<>();
            for (String variant : READ_VARIANTS) {
                values.addAll(values(reads, variant, levels, metric));
            }
            latency.addSeries(name, categories, values);
        }
        ReportCharts.save(latency, docs.resolve("feed-read-latency.png"));

        List<Run> measured = reads.stream().filter(r -> r.server() != null).toList();
        if (!measured.isEmpty()) {
            CategoryChart cpu = ReportCharts.bars("CPU time per feed read (Prometheus)", "variant, concurrent users",
                    "ms of CPU per request");
            cpu.getStyler().setStacked(true);
            cpu.getStyler().setDecimalPattern("#,##0.###");
            cpu.getStyler().setYAxisDecimalPattern("#,##0.##");
            List<String> runsLabels = measured.stream().map(Run::label).toList();
            for (List<String> c : CPU_COMPONENTS) {
                cpu.addSeries(c.get(1), runsLabels, measured.stream().map(r -> nanToZero(r.cpuMsPerRequest(c.get(0)))).toList());
            }
            ReportCharts.save(cpu, docs.resolve(CPU_CHART));
        }

        List<Run> creates = runs.stream().filter(r -> r.kind().equals("create")).toList();
        CategoryChart create = ReportCharts.bars("Post create latency", "author", "response time, ms");
        List<String> kinds = creates.stream().map(r -> r.variant() + " (" + r.users() + " users)").toList();
        create.addSeries("p50", kinds, creates.stream().map(r -> zero(r.p50Ms())).toList());
        create.addSeries("p95", kinds, creates.stream().map(r -> zero(r.p95Ms())).toList());
        create.addSeries("p99", kinds, creates.stream().map(r -> zero(r.p99Ms())).toList());
        ReportCharts.save(create, docs.resolve("feed-create-latency.png"));

        CategoryChart fan = ReportCharts.bars("Fan-out to " + fanOut.followers() + " cached feeds (target ≤ 2000 ms)", "post",
                "ms until every follower's feed held it");
        List<String> rounds = new ArrayList<>();
        for (int i = 1; i <= fanOut.fanOutMs().size(); i++) {
            rounds.add(Integer.toString(i));
        }
        fan.addSeries("fan-out", rounds, fanOut.fanOutMs());
        fan.addSeries("create answered", rounds, fanOut.createMs());
        ReportCharts.save(fan, docs.resolve("feed-fan-out.png"));
    }

    /**
     * Charts of the server side over time (Prometheus, seconds into each run): at the highest read concurrency, cached
     * vs uncached, CPU per component ({@value #SERVER_CPU_CHART}), statements per node ({@value #SERVER_STATEMENTS_CHART})
     * and the cache hit ratio ({@value #SERVER_CACHE_CHART}); the fan-out lag during the create runs and the fan-out
     * probe ({@value #SERVER_LAG_CHART}).
     */
    static void writeServerCharts(Path runsDir, List<Run> runs, ServerMetrics fanOutMetrics, Path docs) throws IOException {
        int most = runs.stream().filter(r -> r.kind().equals("read")).mapToInt(Run::users).max().orElse(0);
        Map<String, ServerMetrics> reads = new LinkedHashMap<>();
        for (String variant : READ_VARIANTS) {
            ServerMetrics.read(runsDir.resolve("read").resolve(variant).resolve("u" + most)).ifPresent(m -> reads.put(variant, m));
        }
        timeline(reads, ServerQuery.CPU, "CPU per component, feed reads at " + most + " users", "cores", docs.resolve(SERVER_CPU_CHART));
        timeline(reads, ServerQuery.STATEMENTS, "PostgreSQL statements per node, feed reads at " + most + " users",
                "statements / s", docs.resolve(SERVER_STATEMENTS_CHART));
        timeline(reads, ServerQuery.CACHE_HIT_RATIO, "Feed pages served from Redis, feed reads at " + most + " users",
                "share of pages", docs.resolve(SERVER_CACHE_CHART));
        Map<String, ServerMetrics> lag = new LinkedHashMap<>();
        for (String kind : AUTHOR_KINDS) {
            Path dir = runsDir.resolve("create").resolve(kind);
            if (Files.isDirectory(dir)) {
                try (var users = Files.list(dir)) {
                    for (Path u : users.sorted().toList()) {
                        ServerMetrics.read(u).ifPresent(m -> lag.put(kind + " creates", m));
                    }
                }
            }
        }
        if (fanOutMetrics != null) {
            lag.put("fan-out probe", fanOutMetrics);
        }
        timeline(lag, ServerQuery.FAN_OUT_LAG, "Fan-out lag (post commit to every follower's cached feed)", "seconds",
                docs.resolve(SERVER_LAG_CHART));
    }

    static final String SERVER_CPU_CHART = "feed-server-cpu.png";
    static final String SERVER_STATEMENTS_CHART = "feed-server-statements.png";
    static final String SERVER_CACHE_CHART = "feed-server-cache.png";
    static final String SERVER_LAG_CHART = "feed-server-fan-out-lag.png";

    private static void timeline(Map<String, ServerMetrics> runs, String figure, String title, String unit, Path png)
            throws IOException {
        XYChart chart = ReportCharts.lines(title + " (Prometheus)", "seconds into the run", unit);
        if (ReportCharts.addServerSeries(chart, runs, figure) > 0) {
            ReportCharts.save(chart, png);
        }
    }

    private static double nanToZero(double value) {
        return Double.isFinite(value) ? value : 0;
    }

    private static List<Double> values(List<Run> runs, String variant, List<Integer> levels, Function<Run, Double> metric) {
        return levels.stream().map(users -> find(runs, "read", variant, users).map(metric).map(FeedReport::zero).orElse(0.0))
                .toList();
    }

    private static Optional<Run> find(List<Run> runs, String kind, String variant, int users) {
        return runs.stream().filter(r -> r.kind().equals(kind) && r.variant().equals(variant) && r.users() == users).findFirst();
    }

    private static List<String> labels(List<Integer> levels) {
        return levels.stream().map(String::valueOf).toList();
    }

    private static double zero(Double value) {
        return value == null ? 0 : value;
    }

    private static Double orNull(double value) {
        return Double.isNaN(value) ? null : value;
    }

    private static String ms(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.0f", value);
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
    }
}
