package dev.socnet.loadtest.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.style.Styler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns the measurements of {@code ./socnet bench dialogs} into {@code docs/benchmarks}: {@value #JSON_FILE},
 * the generated results section of {@value #MARKDOWN_FILE} (between {@link GeneratedMarkdownSection}
 * markers) and five PNG charts, and checks the targets: max/mean rows per partition of 100,000
 * dialogs at most {@value #MAX_SPREAD_RATIO}; a user writing to 10,000 others reaches every partition; the
 * cut-over pause of a move under load under {@value #MAX_CUTOVER_MS} ms (and no failed request while moving).
 *
 * <p>Arguments ({@code --name=value}):
 * <ul>
 *   <li>{@code load} — the {@link DialogsSpreadProbe.SpreadLoad} JSON;</li>
 *   <li>{@code spread}, {@code gaga} — CSV {@code partition,worker,rows} (header, all 32 partitions) of the
 *       spread set and of the fan-out set;</li>
 *   <li>{@code moves} — CSV {@code id,partition,source,target,rows,blocked_ms,lock_wait_ms,catchup_wait_ms,
 *       attempts,duration_s} of the moves made under load;</li>
 *   <li>{@code runs} — directory with Gatling reports {@code workers<N>/<send|list>} and {@code rebalance};</li>
 *   <li>{@code docs} — output directory; {@code duration-s}, {@code users}, {@code environment}.</li>
 * </ul>
 */
public final class DialogsReport {

    public static final String JSON_FILE = "dialogs.json";
    public static final String MARKDOWN_FILE = "dialogs.md";
    /** Targets of the issue. */
    public static final double MAX_SPREAD_RATIO = 1.15;
    public static final int PARTITIONS = 32;
    public static final double MAX_CUTOVER_MS = 1000;
    public static final List<String> OPERATIONS = List.of("send", "list");
    /**
     * The measured phases, in run order: directory under {@code runs} and label. Two workers are measured
     * again after the third is removed, so that drift over the run (JIT warm-up, caches, the machine's
     * other load) shows instead of passing for a difference between 2 and 3 workers.
     */
    public static final List<Phase> PHASES = List.of(new Phase("workers2", 2, "2 workers"),
            new Phase("workers3", 3, "3 workers"), new Phase("workers2-again", 2, "2 workers, again"));

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private DialogsReport() {
    }

    /** A set of runs with one placement: its directory under {@code runs}, its workers and label. */
    public record Phase(String directory, int workers, String label) {
    }

    /** Rows of one partition in one data set. */
    public record PartitionRows(String partition, String worker, long rows) {
    }

    /**
     * How a data set spread over the partitions.
     *
     * @param partitionsWithRows partitions holding at least one row of the set
     * @param minRows            fewest rows in a partition
     * @param maxRows            most rows in a partition
     * @param meanRows           rows / 32
     * @param maxToMean          maxRows / meanRows (1 = perfectly even)
     */
    public record Spread(long rows, int partitionsWithRows, long minRows, long maxRows, double meanRows, double maxToMean,
            List<PartitionRows> partitions) {

        static Spread of(List<PartitionRows> partitions) {
            long rows = partitions.stream().mapToLong(PartitionRows::rows).sum();
            double mean = rows / (double) PARTITIONS;
            long max = partitions.stream().mapToLong(PartitionRows::rows).max().orElse(0);
            long min = partitions.stream().mapToLong(PartitionRows::rows).min().orElse(0);
            int withRows = (int) partitions.stream().filter(p -> p.rows() > 0).count();
            return new Spread(rows, withRows, min, max, round(mean, 1), mean == 0 ? 0 : round(max / mean, 3), partitions);
        }
    }

    /** One Gatling run (latencies in ms, all requests, Gatling's response times). */
    public record Run(String name, String phase, int workers, String operation, double throughputRps, Double p50Ms,
            Double p95Ms, Double p99Ms, Double maxMs, long requests, long errors) {

        static Run of(String name, String phase, int workers, String operation, GatlingRunStats stats) {
            return new Run(name, phase, workers, operation, round(stats.okPerS(), 1), orNull(stats.p50Ms()),
                    orNull(stats.p95Ms()), orNull(stats.p99Ms()), orNull(stats.maxMs()), stats.requests(), stats.ko());
        }
    }

    /** One partition move made while the load ran. */
    public record Move(long id, String partition, String source, String target, long rows, double blockedMs,
            double lockWaitMs, double catchupWaitMs, int attempts, double durationS) {
    }

    /** The verdict on one target. */
    public record Target(String name, double measured, double bound, boolean met) {
    }

    /** The whole {@value #JSON_FILE}. */
    public record Benchmark(String generatedAt, int durationS, int users, String environment,
            DialogsSpreadProbe.SpreadLoad load, Spread spread, Spread gaga, List<Run> runs, Run rebalanceRun,
            List<Move> moves, List<Target> targets) {
    }

    public static void main(String[] args) throws IOException {
        MainArguments arguments = MainArguments.parse(args);
        Path docs = arguments.requirePath("docs");
        Path runsDir = arguments.requirePath("runs");
        Files.createDirectories(docs);

        var load = JSON.readValue(arguments.requirePath("load").toFile(), DialogsSpreadProbe.SpreadLoad.class);
        Spread spread = Spread.of(partitionRows(arguments.requirePath("spread")));
        Spread gaga = Spread.of(partitionRows(arguments.requirePath("gaga")));
        List<Run> runs = new ArrayList<>();
        for (Phase phase : PHASES) {
            for (String operation : OPERATIONS) {
                Path report = runsDir.resolve(phase.directory()).resolve(operation);
                if (Files.isDirectory(report)) {
                    runs.add(Run.of(operation + ", " + phase.label(), phase.label(), phase.workers(), operation,
                            GatlingRunStats.read(report)));
                }
            }
        }
        Run rebalanceRun = Run.of("send + list while rebalancing onto a third worker", "rebalance", 3, "mixed",
                GatlingRunStats.read(runsDir.resolve("rebalance")));
        List<Move> moves = moves(arguments.requirePath("moves"));
        double worstPause = moves.stream().mapToDouble(Move::blockedMs).max().orElse(Double.NaN);

        List<Target> targets = List.of(
                new Target("max/mean rows per partition, " + load.dialogs() + " dialogs", spread.maxToMean(),
                        MAX_SPREAD_RATIO, spread.maxToMean() <= MAX_SPREAD_RATIO),
                new Target("partitions reached by one user writing to " + load.gagaRecipients() + " others",
                        gaga.partitionsWithRows(), PARTITIONS, gaga.partitionsWithRows() == PARTITIONS),
                new Target("longest cut-over pause of a move under load, ms", worstPause, MAX_CUTOVER_MS,
                        !moves.isEmpty() && worstPause < MAX_CUTOVER_MS),
                new Target("failed requests while partitions moved", rebalanceRun.errors(), 0, rebalanceRun.errors() == 0));

        var benchmark = new Benchmark(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                arguments.intOr("duration-s", 30), arguments.intOr("users", 32), arguments.require("environment"),
                load, spread, gaga, runs, rebalanceRun, moves, targets);
        Files.writeString(docs.resolve(JSON_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(benchmark),
                StandardCharsets.UTF_8);

        writePartitionChart(spread, "Rows per partition: " + load.dialogs() + " dialogs, one message each",
                docs.resolve("dialogs-spread.png"));
        writePartitionChart(gaga, "Rows per partition: one user writing to " + load.gagaRecipients() + " others",
                docs.resolve("dialogs-gaga.png"));
        writeThroughputChart(runs, docs.resolve("dialogs-throughput.png"));
        writeLatencyChart(runs, docs.resolve("dialogs-latency.png"));
        writeCutoverChart(moves, docs.resolve("dialogs-cutover.png"));
        GeneratedMarkdownSection.write(docs.resolve(MARKDOWN_FILE), "Dialogs benchmark", markdown(benchmark));
        targets.forEach(t -> System.out.printf(Locale.ROOT, "%s: %s (bound %s) %s%n", t.name(), number(t.measured()),
                number(t.bound()), t.met() ? "MET" : "NOT MET"));
    }

    private static String markdown(Benchmark b) {
        var md = new StringBuilder();
        md.append("Generated by `./socnet bench dialogs` at ").append(b.generatedAt()).append(" on ")
                .append(b.environment()).append(".\n\n");
        md.append("### Targets\n\n| target | measured | bound | |\n|---|---:|---:|---|\n");
        for (Target t : b.targets()) {
            md.append("| ").append(t.name()).append(" | ").append(number(t.measured())).append(" | ")
                    .append(number(t.bound())).append(" | ").append(t.met() ? "met" : "**not met**").append(" |\n");
        }
        var load = b.load();
        md.append("\n### Spread over the 32 partitions\n\n");
        md.append(String.format(Locale.ROOT, "%,d messages written through the service's internal API (%,.0f/s, %d failed): "
                + "%,d dialogs of one message, one user writing to %,d others, one dialog of %,d messages, and a history "
                + "of %,d messages in each of the %,d dialogs the Gatling runs use.%n%n",
                load.sends(), load.sendsPerS(), load.failures(), load.dialogs(), load.gagaRecipients(), load.longMessages(),
                load.pairMessages(), load.pairs()));
        md.append("| data set | rows | partitions with rows | min | mean | max | max/mean |\n|---|---:|---:|---:|---:|---:|---:|\n");
        spreadRow(md, load.dialogs() + " dialogs", b.spread());
        spreadRow(md, "one user → " + load.gagaRecipients() + " others", b.gaga());
        md.append("\n![rows per partition](dialogs-spread.png)\n\n![one sender](dialogs-gaga.png)\n");

        md.append("\n### Throughput and latency through the gateway, 2 vs 3 workers\n\n");
        md.append(String.format(Locale.ROOT, "Gatling, %d concurrent users back to back, %d s per run, in this order: "
                + "2 workers, 3 workers, 2 workers again; latencies in ms.%n%n", b.users(), b.durationS()));
        md.append("| run | successful req/s | p50 | p95 | p99 | max | requests | errors |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Run r : b.runs()) {
            runRow(md, r);
        }
        md.append("\n![throughput](dialogs-throughput.png)\n\n![latency](dialogs-latency.png)\n");

        md.append("\n### Moving partitions under load\n\n");
        md.append("`./socnet shards add-worker` then `./socnet shards rebalance` while Gatling sent and listed:\n\n");
        md.append("| run | successful req/s | p50 | p95 | p99 | max | requests | errors |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        runRow(md, b.rebalanceRun());
        md.append("\nEach move's cut-over, as `shard_cutover` measured it inside the coordinator transaction (all dialog "
                + "requests wait for it):\n\n");
        md.append("| move | partition | from → to | rows | blocked ms | lock wait ms | catch-up ms | attempts | move s |\n"
                + "|---:|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (Move m : b.moves()) {
            md.append(String.format(Locale.ROOT, "| %d | %s | %s → %s | %,d | %.1f | %.1f | %.1f | %d | %.1f |%n", m.id(),
                    m.partition(), m.source(), m.target(), m.rows(), m.blockedMs(), m.lockWaitMs(), m.catchupWaitMs(),
                    m.attempts(), m.durationS()));
        }
        md.append("\n![cut-over pauses](dialogs-cutover.png)\n");
        return md.toString();
    }

    private static void spreadRow(StringBuilder md, String name, Spread s) {
        md.append(String.format(Locale.ROOT, "| %s | %,d | %d | %,d | %,.1f | %,d | %.3f |%n", name, s.rows(),
                s.partitionsWithRows(), s.minRows(), s.meanRows(), s.maxRows(), s.maxToMean()));
    }

    private static void runRow(StringBuilder md, Run r) {
        md.append(String.format(Locale.ROOT, "| %s | %,.1f | %s | %s | %s | %s | %,d | %,d |%n", r.name(), r.throughputRps(),
                number(r.p50Ms()), number(r.p95Ms()), number(r.p99Ms()), number(r.maxMs()), r.requests(), r.errors()));
    }

    private static List<PartitionRows> partitionRows(Path csv) throws IOException {
        List<PartitionRows> rows = new ArrayList<>();
        for (CSVRecord r : records(csv)) {
            rows.add(new PartitionRows(r.get("partition"), r.get("worker"), Long.parseLong(r.get("rows"))));
        }
        rows.sort(Comparator.comparing(PartitionRows::partition));
        if (rows.size() != PARTITIONS) {
            throw new IllegalStateException(csv + ": expected " + PARTITIONS + " partitions, got " + rows.size());
        }
        return rows;
    }

    private static List<Move> moves(Path csv) throws IOException {
        List<Move> moves = new ArrayList<>();
        for (CSVRecord r : records(csv)) {
            moves.add(new Move(Long.parseLong(r.get("id")), r.get("partition"), r.get("source"), r.get("target"),
                    Long.parseLong(r.get("rows")), Double.parseDouble(r.get("blocked_ms")),
                    Double.parseDouble(r.get("lock_wait_ms")), Double.parseDouble(r.get("catchup_wait_ms")),
                    Integer.parseInt(r.get("attempts")), Double.parseDouble(r.get("duration_s"))));
        }
        return moves;
    }

    private static List<CSVRecord> records(Path csv) throws IOException {
        try (var parser = CSVParser.parse(csv, StandardCharsets.UTF_8,
                CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
            return parser.getRecords();
        }
    }

    private static void writePartitionChart(Spread spread, String title, Path png) throws IOException {
        CategoryChart chart = chart(title + String.format(Locale.ROOT, " (max/mean %.3f)", spread.maxToMean()),
                "partition (worker)", "rows");
        chart.getStyler().setLabelsVisible(false);
        chart.getStyler().setXAxisLabelRotation(90);
        chart.getStyler().setLegendVisible(false);
        List<String> labels = spread.partitions().stream()
                .map(p -> p.partition().replace("dialog_messages_", "") + " (" + p.worker().replace("worker", "w") + ")")
                .toList();
        chart.addSeries("rows", labels, spread.partitions().stream().map(p -> (double) p.rows()).toList());
        ReportCharts.save(chart, png);
    }

    private static void writeThroughputChart(List<Run> runs, Path png) throws IOException {
        CategoryChart chart = chart("Dialogs through the gateway: successful requests / s", "operation", "requests / s");
        for (Phase phase : PHASES) {
            chart.addSeries(phase.label(), OPERATIONS, OPERATIONS.stream()
                    .map(op -> find(runs, phase, op, Run::throughputRps)).toList());
        }
        ReportCharts.save(chart, png);
    }

    private static void writeLatencyChart(List<Run> runs, Path png) throws IOException {
        CategoryChart chart = chart("Dialogs through the gateway: latency", "operation, workers", "response time, ms");
        chart.getStyler().setXAxisLabelRotation(20);
        List<String> labels = new ArrayList<>();
        for (String op : OPERATIONS) {
            for (Phase phase : PHASES) {
                labels.add(op + ", " + phase.label());
            }
        }
        List<Function<Run, Double>> percentiles = List.of(Run::p50Ms, Run::p95Ms, Run::p99Ms);
        List<String> names = List.of("p50", "p95", "p99");
        for (int i = 0; i < names.size(); i++) {
            Function<Run, Double> percentile = percentiles.get(i);
            List<Double> values = new ArrayList<>();
            for (String op : OPERATIONS) {
                for (Phase phase : PHASES) {
                    values.add(find(runs, phase, op, r -> percentile.apply(r) == null ? 0 : percentile.apply(r)));
                }
            }
            chart.addSeries(names.get(i), labels, values);
        }
        ReportCharts.save(chart, png);
    }

    private static void writeCutoverChart(List<Move> moves, Path png) throws IOException {
        CategoryChart chart = chart("Cut-over pause of each move under load (target < 1000 ms)", "move (partition)",
                "dialog traffic blocked, ms");
        if (moves.isEmpty()) {
            chart.addSeries("blocked", List.of("none"), List.of(0.0));
        } else {
            List<String> labels = moves.stream().map(m -> m.partition().replace("dialog_messages_", "")).toList();
            chart.addSeries("lock wait", labels, moves.stream().map(Move::lockWaitMs).toList());
            chart.addSeries("catch-up", labels, moves.stream().map(Move::catchupWaitMs).toList());
            chart.addSeries("blocked in all", labels, moves.stream().map(Move::blockedMs).toList());
        }
        ReportCharts.save(chart, png);
    }

    private static double find(List<Run> runs, Phase phase, String operation, Function<Run, Double> value) {
        return runs.stream().filter(r -> r.phase().equals(phase.label()) && r.operation().equals(operation))
                .findFirst().map(value).orElse(0.0);
    }

    private static CategoryChart chart(String title, String xTitle, String yTitle) {
        CategoryChart chart = ReportCharts.bars(title, xTitle, yTitle);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        return chart;
    }

    private static String number(Double value) {
        if (value == null || value.isNaN()) {
            return "–";
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? String.format(Locale.ROOT, "%,d", value.longValue())
                : String.format(Locale.ROOT, "%,.3f", value).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private static Double orNull(double value) {
        return Double.isNaN(value) ? null : value;
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
