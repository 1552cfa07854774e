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
import java.util.Properties;
import java.util.function.Function;
import org.knowm.xchart.CategoryChart;

/**
 * Turns the runs of {@code ./socnet bench feed} into {@code docs/benchmarks}: {@value #JSON_FILE}, the generated
 * results section of {@value #MARKDOWN_FILE} (between {@link GeneratedMarkdownSection} markers) and five PNG
 * charts (the fifth, CPU per read by component, when the runs carry {@value #CPU_FILE}), and checks the issue's targets: cached feed throughput at least 5× uncached at 100 users; celebrity
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
     * One Gatling run of the feed benchmark (latencies in ms, Gatling's response times, all requests), with the CPU
     * the components under test used during it (null when the run directory has no {@value #CPU_FILE}).
     */
    public record Run(String kind, String variant, int users, double throughputRps, Double p50Ms, Double p95Ms,
            Double p99Ms, Double maxMs, long requests, long errors, CpuUse cpu, String report) {

        static Run of(String kind, String variant, int users, GatlingRunStats stats, CpuUse cpu, String report) {
            return new Run(kind, variant, users, Math.round(stats.okPerS() * 10) / 10.0, orNull(stats.p50Ms()),
                    orNull(stats.p95Ms()), orNull(stats.p99Ms()), orNull(stats.maxMs()), stats.requests(), stats.ko(), cpu,
                    report);
        }
    }

    /**
     * CPU time (user + system, from /proc) per request during one run, in ms: the app instance under test, all
     * PostgreSQL processes (primary, replicas, backends), Redis; and how busy the whole machine was, in percent of
     * all its cores over the run (Gatling, and Maven starting it, included). Written by {@code scripts/bench/feed.sh}.
     */
    public record CpuUse(double appMsPerRequest, double postgresqlMsPerRequest, double redisMsPerRequest,
            double machineBusyPercent) {

        static CpuUse read(Path file, long requests) throws IOException {
            Properties p = new Properties();
            try (var in = Files.newBufferedReader(file)) {
                p.load(in);
            }
            double perRequest = 1000.0 / Math.max(1, requests);
            double capacity = Double.parseDouble(p.getProperty("wall_s")) * Double.parseDouble(p.getProperty("cores"));
            return new CpuUse(round(seconds(p, "app_s") * perRequest), round(seconds(p, "postgresql_s") * perRequest),
                    round(seconds(p, "redis_s") * perRequest),
                    Math.round(seconds(p, "machine_busy_s") / Math.max(1, capacity) * 1000) / 10.0);
        }

        private static double seconds(Properties p, String key) {
            return Double.parseDouble(p.getProperty(key));
        }

        private static double round(double ms) {
            return Math.round(ms * 1000) / 1000.0;
        }
    }

    /** The stacked chart of CPU per first-page read, by component. */
    static final String CPU_CHART = "feed-read-cpu.png";

    /** Per Gatling run directory: the CPU use written by the bench script. */
    public static final String CPU_FILE = "cpu.properties";

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
        List<Target> targets = targets(runs, fanOut);
        Benchmark benchmark = new Benchmark(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                arguments.intOr("duration-s", 60), arguments.intOr("scroll-pages", 0), arguments.stringOr("environment", ""),
                arguments.stringOr("graph", ""),
                arguments.stringOr("authors", ""), runs, fanOut, targets);

        Path docs = arguments.requirePath("docs");
        Files.createDirectories(docs);
        SearchResultSizeProbe.JSON.writerWithDefaultPrettyPrinter().writeValue(docs.resolve(JSON_FILE).toFile(), benchmark);
        writeCharts(runs, fanOut, docs);
        GeneratedMarkdownSection.write(docs.resolve(MARKDOWN_FILE), "News feed benchmark", markdown(benchmark));
        targets.forEach(t -> System.out.printf(Locale.ROOT, "%s: %.2f (bound %.2f) %s%n", t.name(), t.measured(), t.bound(),
                t.met() ? "MET" : "NOT MET"));
    }

    private static List<Run> read(Path variantDir, String kind, String variant) throws IOException {
        List<Run> runs = new ArrayList<>();
        if (!Files.isDirectory(variantDir)) {
            return runs;
        }
        try (var dirs = Files.list(variantDir)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().matches("u\\d+")).sorted().toList()) {
                int users = Integer.parseInt(dir.getFileName().toString().substring(1));
                GatlingRunStats stats = GatlingRunStats.read(dir);
                Path cpu = dir.resolve(CPU_FILE);
                runs.add(Run.of(kind, variant, users, stats,
                        Files.exists(cpu) ? CpuUse.read(cpu, stats.requests()) : null, dir.toString()));
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

    private static String markdown(Benchmark b) {
        StringBuilder md = new StringBuilder();
        md.append("Last run: ").append(b.generatedAt()).append(", ").append(b.durationS()).append(" s per load run. ")
                .append(b.environment()).append("\n\n");
        if (!b.graph().isBlank()) {
            md.append("Data: ").append(b.graph()).append("\n\n");
        }
        md.append("### Targets\n\n| target | measured | bound | |\n| --- | ---: | ---: | --- |\n");
        for (Target t : b.targets()) {
            md.append(String.format(Locale.ROOT, "| %s | %.2f | %s %.0f | %s |%n", t.name(), t.measured(),
                    t.name().startsWith("cached") ? "≥" : "≤", t.bound(), t.met() ? "met" : "**not met**"));
        }
        md.append("\n### Feed reads (`GET /post/feed?offset=0&limit=10`)\n\n")
                .append("![feed read throughput](feed-read-throughput.png)\n![feed read latency](feed-read-latency.png)\n\n");
        table(md, b.runs().stream().filter(r -> r.kind().equals("read")).toList(), "variant");
        cpuTable(md, b.runs().stream().filter(r -> r.kind().equals("read") && r.cpu() != null).toList(), CPU_CHART);
        List<Run> scrolls = b.runs().stream().filter(r -> r.kind().equals("scroll")).toList();
        if (!scrolls.isEmpty()) {
            md.append(String.format(Locale.ROOT, "%n### Deep pages (`GET /post/feed?offset=<0, 10, …, %d>&limit=10`)%n%n",
                    10 * (b.scrollPages() - 1)))
                    .append("Readers scrolling: each request reads a page drawn uniformly from the first ")
                    .append(b.scrollPages()).append(" pages.\n\n");
            table(md, scrolls, "variant");
            cpuTable(md, scrolls.stream().filter(r -> r.cpu() != null).toList(), null);
        }
        md.append("\n### Post create (`POST /post/create`)\n\n");
        if (!b.authors().isBlank()) {
            md.append(b.authors()).append("\n\n");
        }
        md.append("![post create latency](feed-create-latency.png)\n\n");
        table(md, b.runs().stream().filter(r -> r.kind().equals("create")).toList(), "author");
        FanOutProbe.FanOutResult f = b.fanOut();
        md.append("\n### Fan-out to ").append(f.followers()).append(" followers' cached feeds\n\n")
                .append("![fan-out time](feed-fan-out.png)\n\n")
                .append(String.format(Locale.ROOT, "%d posts; time from sending the create until every follower's cached"
                        + " feed held the post: min %.0f ms, median %.0f ms, max %.0f ms (create answered in %.0f ms"
                        + " median). Warming the %d feeds first took %.1f s.%n", f.rounds(), min(f.fanOutMs()),
                        median(f.fanOutMs()), max(f.fanOutMs()), median(f.createMs()), f.followers(), f.warmS()));
        return md.toString();
    }

    private static void table(StringBuilder md, List<Run> runs, String variantTitle) {
        md.append("| ").append(variantTitle).append(" | users | req/s | p50 ms | p95 ms | p99 ms | max ms | requests | errors |\n")
                .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Run r : runs) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %s | %s | %s | %s | %d | %d |%n", r.variant(), r.users(),
                    r.throughputRps(), ms(r.p50Ms()), ms(r.p95Ms()), ms(r.p99Ms()), ms(r.maxMs()), r.requests(), r.errors()));
        }
    }

    /**
     * CPU per feed read by component: what a cached read costs and what it saves PostgreSQL.
     *
     * @param chartPng the chart of these runs to show above the table, or null for none
     */
    private static void cpuTable(StringBuilder md, List<Run> runs, String chartPng) {
        if (runs.isEmpty()) {
            return;
        }
        md.append("\nCPU time per feed read, by component (user + system time from /proc over the run, divided by the")
                .append(" requests):\n\n").append(chartPng == null ? "" : "![CPU per feed read](" + chartPng + ")\n\n")
                .append("| variant | users | app ms | PostgreSQL ms | Redis ms | all three ms | machine busy |\n")
                .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Run r : runs) {
            CpuUse c = r.cpu();
            md.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %.3f | %.0f %% |%n", r.variant(), r.users(),
                    c.appMsPerRequest(), c.postgresqlMsPerRequest(), c.redisMsPerRequest(),
                    c.appMsPerRequest() + c.postgresqlMsPerRequest() + c.redisMsPerRequest(), c.machineBusyPercent()));
        }
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

        List<Run> measured = reads.stream().filter(r -> r.cpu() != null).toList();
        if (!measured.isEmpty()) {
            CategoryChart cpu = ReportCharts.bars("CPU time per feed read", "variant, concurrent users", "ms of CPU per request");
            cpu.getStyler().setStacked(true);
            cpu.getStyler().setDecimalPattern("#,##0.###");
            cpu.getStyler().setYAxisDecimalPattern("#,##0.##");
            List<String> runsLabels = measured.stream().map(r -> r.variant() + " " + r.users()).toList();
            cpu.addSeries("app", runsLabels, measured.stream().map(r -> r.cpu().appMsPerRequest()).toList());
            cpu.addSeries("PostgreSQL", runsLabels, measured.stream().map(r -> r.cpu().postgresqlMsPerRequest()).toList());
            cpu.addSeries("Redis", runsLabels, measured.stream().map(r -> r.cpu().redisMsPerRequest()).toList());
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
