package dev.socnet.loadtest.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.HdrHistogram.Histogram;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns the measurements of {@code ./socnet bench dialogs} (dialogs on Citus) into {@code docs/benchmarks}:
 * {@value #JSON_FILE}, the generated results section of {@value #MARKDOWN_FILE} (between
 * {@link GeneratedMarkdownSection} markers) and six PNG charts, with the postgres_fdw design's figures (the
 * {@code history} JSON, the former {@value #JSON_FILE}) beside the new ones in the same table layout. It
 * checks the targets: max/mean rows per hash range of 100,000 dialogs at most
 * {@value #MAX_SPREAD_RATIO}; a user writing to 10,000 others reaches all {@value #HASH_RANGES} hash
 * ranges; the slowest request while shards move under load under {@value #MAX_PAUSE_MS} ms; no failed
 * request in the run around the rebalance.
 *
 * <p>Spread is counted per <em>original hash range</em>: {@code dialog_messages} was created with
 * {@value #HASH_RANGES} shards, each a {@value #RANGE_WIDTH}-wide range of Citus' 32-bit hash; isolating a
 * dialog ({@code isolate_tenant_to_new_shard}) splits one shard into three pieces of its range, so the
 * pieces are added back together into the range they came from. Shards (pieces included) are reported too.
 *
 * <p>Pauses are measured from the client's side: the request log of the Gatling run around the rebalance
 * (each request's start and end, wall clock ms) against the move windows polled from the coordinator
 * ({@code get_rebalance_progress()} every ~0.2 s with {@code clock_timestamp()}; same machine, same clock).
 * A request is <em>during moves</em> when its interval overlaps a move's window, from the first poll that
 * saw the move to the first poll that no longer saw it. A move's <em>final phase</em> starts at the first
 * poll that saw it in Citus' "Final Catchup" (writes to the shard are blocked from the end of that catch-up
 * until the move commits) and ends with the move. Requests are attributed to shards through the feeder's
 * dialogs ({@code pair-shards}).
 *
 * <p>Arguments ({@code --name=value}):
 * <ul>
 *   <li>{@code load} — the {@link DialogsSpreadProbe.SpreadLoad} JSON;</li>
 *   <li>{@code spread}, {@code gaga} — CSV {@code shard,hash_min,hash_max,worker,rows} (header, every shard
 *       of {@code dialog_messages}) of the spread set and of the fan-out set;</li>
 *   <li>{@code moves} — CSV {@code at_ms,shard,status,source_port,target_port} of the polls (a line with an
 *       empty shard when nothing moved);</li>
 *   <li>{@code requests} — the request log of the run around the rebalance
 *       ({@code DialogsSimulation.REQUEST_LOG_HEADER});</li>
 *   <li>{@code pair-shards} — CSV {@code user_a,user_b,dialog_id,shard} of the feeder's dialogs;</li>
 *   <li>{@code rebalance-start-ms}, {@code rebalance-end-ms} — wall clock span of {@code ./socnet shards
 *       rebalance}, ms since the epoch;</li>
 *   <li>{@code runs} — directory with Gatling reports {@code workers<N>/<send|list>} and {@code rebalance};</li>
 *   <li>{@code history} — the postgres_fdw design's JSON (optional: without it, no comparison);</li>
 *   <li>{@code docs} — output directory; {@code duration-s}, {@code rebalance-run-s}, {@code users},
 *       {@code environment}.</li>
 * </ul>
 *
 * @throws IllegalStateException (from {@code main}) when an input is malformed: not every hash range
 *     present, a request log line without its feeder dialog, an unreadable Gatling report
 */
public final class DialogsReport {

    public static final String JSON_FILE = "dialogs.json";
    public static final String MARKDOWN_FILE = "dialogs.md";
    /** Targets of the issue. */
    public static final double MAX_SPREAD_RATIO = 1.15;
    public static final double MAX_PAUSE_MS = 1000;
    /** Shards {@code dialog_messages} was created with: the original hash ranges. */
    public static final int HASH_RANGES = 32;
    /** Width of one original hash range: 2^32 / {@value #HASH_RANGES}. */
    public static final long RANGE_WIDTH = (1L << 32) / HASH_RANGES;
    /** Citus' "Final Catchup" phase of a move (get_rebalance_progress().status). */
    public static final String FINAL_CATCH_UP = "Final Catchup";
    public static final List<String> OPERATIONS = List.of("send", "list");
    /**
     * The measured phases, in run order: directory under {@code runs} and label. Two workers are measured
     * again after the third is removed, so that drift over the run (JIT warm-up, caches, the machine's
     * other load) shows instead of passing for a difference between 2 and 3 workers.
     */
    public static final List<Phase> PHASES = List.of(new Phase("workers2", 2, "2 workers"),
            new Phase("workers3", 3, "3 workers"), new Phase("workers2-again", 2, "2 workers, again"));
    public static final String CITUS = "Citus";
    public static final String FDW = "postgres_fdw";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private DialogsReport() {
    }

    /** A set of runs with one placement: its directory under {@code runs}, its workers and label. */
    public record Phase(String directory, int workers, String label) {
    }

    /** Rows of one data set in one Citus shard (a piece of a hash range after an isolation, or a whole one). */
    public record ShardRows(long shard, long hashMin, long hashMax, String worker, long rows) {
    }

    /**
     * Rows of one data set in one original hash range.
     *
     * @param range   0..31, in hash order
     * @param hashMin first hash value of the range (Citus' int4 hash)
     * @param hashMax last hash value of the range
     * @param shards  the shards now covering the range (one, or three after an isolation)
     * @param workers the workers holding them
     * @param rows    rows of the set in the range
     */
    public record RangeRows(int range, long hashMin, long hashMax, List<Long> shards, String workers, long rows) {
    }

    /**
     * How a data set spread.
     *
     * @param rows             rows of the set
     * @param rangesWithRows   original hash ranges holding at least one row (of {@value #HASH_RANGES})
     * @param shards           shards of dialog_messages now (more than 32 after isolations)
     * @param shardsWithRows   shards holding at least one row
     * @param minRows          fewest rows in a hash range
     * @param maxRows          most rows in a hash range
     * @param meanRows         rows / 32
     * @param maxToMean        maxRows / meanRows (1 = perfectly even)
     * @param ranges           rows per hash range
     */
    public record Spread(long rows, int rangesWithRows, int shards, int shardsWithRows, long minRows, long maxRows,
            double meanRows, double maxToMean, List<RangeRows> ranges) {

        static Spread of(List<ShardRows> shards) {
            Map<Integer, List<ShardRows>> byRange = new TreeMap<>();
            for (ShardRows s : shards) {
                int range = rangeOf(s.hashMin());
                if (range != rangeOf(s.hashMax())) {
                    throw new IllegalStateException("shard " + s.shard() + " (" + s.hashMin() + ".." + s.hashMax()
                            + ") spans more than one of the " + HASH_RANGES + " original hash ranges");
                }
                byRange.computeIfAbsent(range, r -> new ArrayList<>()).add(s);
            }
            if (byRange.size() != HASH_RANGES) {
                throw new IllegalStateException("expected shards covering " + HASH_RANGES + " hash ranges, got "
                        + byRange.size());
            }
            List<RangeRows> ranges = new ArrayList<>();
            byRange.forEach((range, pieces) -> ranges.add(new RangeRows(range,
                    Integer.MIN_VALUE + range * RANGE_WIDTH, Integer.MIN_VALUE + (range + 1) * RANGE_WIDTH - 1,
                    pieces.stream().map(ShardRows::shard).toList(),
                    String.join(" ", pieces.stream().map(ShardRows::worker).distinct().toList()),
                    pieces.stream().mapToLong(ShardRows::rows).sum())));
            long rows = ranges.stream().mapToLong(RangeRows::rows).sum();
            double mean = rows / (double) HASH_RANGES;
            long max = ranges.stream().mapToLong(RangeRows::rows).max().orElse(0);
            long min = ranges.stream().mapToLong(RangeRows::rows).min().orElse(0);
            int withRows = (int) ranges.stream().filter(r -> r.rows() > 0).count();
            int shardsWithRows = (int) shards.stream().filter(s -> s.rows() > 0).count();
            return new Spread(rows, withRows, shards.size(), shardsWithRows, min, max, round(mean, 1),
                    mean == 0 ? 0 : round(max / mean, 3), ranges);
        }

        private static int rangeOf(long hash) {
            return (int) ((hash - Integer.MIN_VALUE) / RANGE_WIDTH);
        }
    }

    /** One Gatling run (latencies in ms, all requests, Gatling's response times); design: Citus or postgres_fdw. */
    public record Run(String design, String name, String phase, int workers, String operation, double throughputRps,
            Double p50Ms, Double p95Ms, Double p99Ms, Double maxMs, long requests, long errors) {

        static Run of(String name, String phase, int workers, String operation, GatlingRunStats stats) {
            return new Run(CITUS, name, phase, workers, operation, round(stats.okPerS(), 1), orNull(stats.p50Ms()),
                    orNull(stats.p95Ms()), orNull(stats.p99Ms()), orNull(stats.maxMs()), stats.requests(), stats.ko());
        }
    }

    /**
     * One shard move under load, as the polls saw it.
     *
     * @param shard              the shard's id (a move keeps it)
     * @param source             worker it left
     * @param target             worker it went to
     * @param startMs            first poll that saw the move, ms since the epoch
     * @param finalPhaseMs       first poll that saw it in "Final Catchup", null if no poll did
     * @param lastSeenMs         last poll that saw it (the move committed between it and endMs)
     * @param endMs              first poll that no longer saw it
     * @param durationS          endMs - startMs, s
     * @param finalPhaseS        endMs - finalPhaseMs, s (writes to the shard are blocked in the last part of it)
     * @param requests           requests to this shard overlapping its move
     * @param maxMs              the slowest of them, ms (null if none)
     * @param finalPhaseRequests requests to this shard overlapping its final phase
     * @param finalPhaseMaxMs    the slowest of them, ms (null if none)
     * @param endRequests        requests to any shard overlapping the move's last poll interval (its commit)
     * @param endMaxMs           the slowest of them, ms (null if none)
     */
    public record Move(long shard, String source, String target, long startMs, Long finalPhaseMs, long lastSeenMs, long endMs,
            double durationS, Double finalPhaseS, long requests, Long maxMs, long finalPhaseRequests,
            Long finalPhaseMaxMs, long endRequests, Long endMaxMs) {
    }

    /**
     * Client-side latency of one set of requests of the run around the rebalance (wall clock from the request
     * log, ms; percentiles by HdrHistogram).
     *
     * @param name     which requests
     * @param requests how many
     * @param failed   how many failed (no 200)
     */
    public record Latency(String name, long requests, long failed, Long p50Ms, Long p99Ms, Long p999Ms, Long maxMs) {
    }

    /** The verdict on one target; {@code fdw} is the postgres_fdw design's figure (null without history). */
    public record Target(String name, double measured, Double fdw, double bound, boolean met) {
    }

    /**
     * The whole {@value #JSON_FILE}; times in ms since the epoch: {@code runStartMs} the first logged request
     * of the run around the rebalance, {@code rebalanceStartMs}/{@code rebalanceEndMs} the span of
     * {@code ./socnet shards rebalance}.
     */
    public record Benchmark(String generatedAt, int durationS, int rebalanceRunS, int users, String environment,
            DialogsSpreadProbe.SpreadLoad load, Spread spread, Spread gaga, List<Run> runs, Run rebalanceRun,
            long runStartMs, long rebalanceStartMs, long rebalanceEndMs, List<Move> moves, List<Latency> latency, List<Target> targets) {
    }

    /** One logged request: wall clock start and end (ms since the epoch), passed or not, the shard of its dialog. */
    record Request(long startMs, long endMs, boolean ok, long shard) {

        long latencyMs() {
            return endMs - startMs;
        }

        boolean overlaps(long fromMs, long toMs) {
            return startMs < toMs && endMs > fromMs;
        }
    }

    /** The FDW design's figures, read from its JSON. */
    record History(String generatedAt, Map<String, Run> runs, Run rebalanceRun, JsonNode spread, JsonNode gaga,
            List<Double> targets) {
    }

    public static void main(String[] args) throws IOException {
        MainArguments arguments = MainArguments.parse(args);
        Path docs = arguments.requirePath("docs");
        Path runsDir = arguments.requirePath("runs");
        Files.createDirectories(docs);

        var load = JSON.readValue(arguments.requirePath("load").toFile(), DialogsSpreadProbe.SpreadLoad.class);
        Spread spread = Spread.of(shardRows(arguments.requirePath("spread")));
        Spread gaga = Spread.of(shardRows(arguments.requirePath("gaga")));
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

        Map<String, Long> shardOfPair = pairShards(arguments.requirePath("pair-shards"));
        List<Request> requests = requests(arguments.requirePath("requests"), shardOfPair);
        List<Move> moves = moves(arguments.requirePath("moves"), requests);
        List<Latency> latency = latency(requests, moves);
        long failedInRun = Math.max(rebalanceRun.errors(), requests.stream().filter(r -> !r.ok()).count());
        Latency during = latency.get(0);
        double longestPause = during.maxMs() == null ? Double.NaN : during.maxMs();

        History history = arguments.values().containsKey("history") && Files.exists(arguments.requirePath("history"))
                ? history(arguments.requirePath("history")) : null;
        List<Target> targets = List.of(
                new Target("max/mean rows per hash range, " + load.dialogs() + " dialogs", spread.maxToMean(),
                        historyTarget(history, 0), MAX_SPREAD_RATIO, spread.maxToMean() <= MAX_SPREAD_RATIO),
                new Target("hash ranges reached by one user writing to " + load.gagaRecipients() + " others",
                        gaga.rangesWithRows(), historyTarget(history, 1), HASH_RANGES, gaga.rangesWithRows() == HASH_RANGES),
                new Target("longest pause a client saw while shards moved under load, ms", longestPause,
                        historyTarget(history, 2), MAX_PAUSE_MS, !moves.isEmpty() && longestPause < MAX_PAUSE_MS),
                new Target("failed requests in the run around the rebalance", failedInRun, historyTarget(history, 3), 0,
                        failedInRun == 0));

        var benchmark = new Benchmark(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                arguments.intOr("duration-s", 30), arguments.intOr("rebalance-run-s", 150), arguments.intOr("users", 32),
                arguments.require("environment"), load, spread, gaga, runs, rebalanceRun,
                requests.isEmpty() ? 0 : requests.getFirst().startMs(), Long.parseLong(arguments.require("rebalance-start-ms")), Long.parseLong(arguments.require("rebalance-end-ms")),
                moves, latency, targets);
        Files.writeString(docs.resolve(JSON_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(benchmark),
                StandardCharsets.UTF_8);

        writeRangeChart(spread, "Rows per hash range: " + load.dialogs() + " dialogs, one message each",
                docs.resolve("dialogs-spread.png"));
        writeRangeChart(gaga, "Rows per hash range: one user writing to " + load.gagaRecipients() + " others",
                docs.resolve("dialogs-gaga.png"));
        writeThroughputChart(runs, history, docs.resolve("dialogs-throughput.png"));
        writeLatencyChart(runs, history, docs.resolve("dialogs-latency.png"));
        writePauseChart(latency, docs.resolve("dialogs-pauses.png"));
        writeTimelineChart(requests, moves, docs.resolve("dialogs-timeline.png"));
        GeneratedMarkdownSection.write(docs.resolve(MARKDOWN_FILE), "Dialogs benchmark", markdown(benchmark, history));
        targets.forEach(t -> System.out.printf(Locale.ROOT, "%s: %s (bound %s) %s%n", t.name(), number(t.measured()),
                number(t.bound()), t.met() ? "MET" : "NOT MET"));
        latency.forEach(l -> System.out.printf(Locale.ROOT, "%s: %d requests, %d failed, p50 %s, p99 %s, p99.9 %s, max %s ms%n",
                l.name(), l.requests(), l.failed(), l.p50Ms(), l.p99Ms(), l.p999Ms(), l.maxMs()));
    }

    // ------------------------------------------------------------------------------------------------
    // Markdown
    // ------------------------------------------------------------------------------------------------

    private static String markdown(Benchmark b, History h) {
        var md = new StringBuilder();
        md.append("Generated by `./socnet bench dialogs` at ").append(b.generatedAt()).append(" on ")
                .append(b.environment()).append(".");
        if (h != null) {
            md.append(" The postgres_fdw rows are that design's run of ").append(h.generatedAt())
                    .append(" on the same machine kind ([dialogs-fdw.json](dialogs-fdw.json), history).");
        }
        md.append("\n\n### Targets\n\n| target | Citus | postgres_fdw | bound | Citus: verdict |\n|---|---:|---:|---:|---|\n");
        for (Target t : b.targets()) {
            md.append("| ").append(t.name()).append(" | ").append(number(t.measured())).append(" | ")
                    .append(number(t.fdw())).append(" | ").append(number(t.bound())).append(" | ")
                    .append(t.met() ? "met" : "**not met**").append(" |\n");
        }
        md.append("\npostgres_fdw figures: per partition (the FDW design's 32 partitions were its hash ranges), and its "
                + "pause was the cut-over's blocking time measured inside the coordinator, not from the client.\n");

        var load = b.load();
        md.append("\n### Spread over the 32 hash ranges\n\n");
        md.append(String.format(Locale.ROOT, "%,d messages written through the service's internal API (%,.0f/s, %d failed): "
                + "%,d dialogs of one message, one user writing to %,d others, one dialog of %,d messages, and a history "
                + "of %,d messages in each of the %,d dialogs the Gatling runs use. Rows are counted per shard and added up "
                + "per original hash range (%d shards now, of which %d come from isolating hot dialogs).%n%n",
                load.sends(), load.sendsPerS(), load.failures(), load.dialogs(), load.gagaRecipients(), load.longMessages(),
                load.pairMessages(), load.pairs(), b.spread().shards(), b.spread().shards() - HASH_RANGES));
        md.append("| data set | design | rows | hash ranges with rows | shards with rows | min | mean | max | max/mean |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        spreadRow(md, load.dialogs() + " dialogs", CITUS, b.spread());
        historySpreadRow(md, load.dialogs() + " dialogs", h == null ? null : h.spread());
        spreadRow(md, "one user → " + load.gagaRecipients() + " others", CITUS, b.gaga());
        historySpreadRow(md, "one user → " + load.gagaRecipients() + " others", h == null ? null : h.gaga());
        md.append("\n![rows per hash range](dialogs-spread.png)\n\n![one sender](dialogs-gaga.png)\n");

        md.append("\n### Throughput and latency through the gateway, 2 vs 3 workers\n\n");
        md.append(String.format(Locale.ROOT, "Gatling, %d concurrent users back to back, %d s per run, in this order: "
                + "2 workers, 3 workers, 2 workers again; latencies in ms (Gatling's, all requests).%n%n", b.users(), b.durationS()));
        md.append("| run | design | successful req/s | p50 | p95 | p99 | max | requests | errors |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Run r : b.runs()) {
            runRow(md, r);
            if (h != null && h.runs().containsKey(r.name())) {
                runRow(md, h.runs().get(r.name()));
            }
        }
        md.append("\n![throughput](dialogs-throughput.png)\n\n![latency](dialogs-latency.png)\n");

        md.append("\n### Moving shards under load\n\n");
        md.append(String.format(Locale.ROOT, "`./socnet shards add-worker`, then `./socnet shards rebalance` (Citus' "
                + "background rebalancer, `by_shard_count`, `force_logical`) starting %.0f s into a %d s Gatling run "
                + "that sent and listed; the rebalance took %.1f s:%n%n",
                (b.rebalanceStartMs() - b.runStartMs()) / 1000.0, b.rebalanceRunS(), (b.rebalanceEndMs() - b.rebalanceStartMs()) / 1000.0));
        md.append("| run | design | successful req/s | p50 | p95 | p99 | max | requests | errors |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        runRow(md, b.rebalanceRun());
        if (h != null && h.rebalanceRun() != null) {
            runRow(md, h.rebalanceRun());
        }
        md.append("\nWhat the clients saw, from the request log (each request's wall-clock start and end) against the move "
                + "windows polled from the coordinator (`get_rebalance_progress()` every ~0.2 s); \"final phase\" is a "
                + "move's Final Catchup and Completing, in which Citus blocks writes to the moving shard for the last "
                + "catch-up; \"the end of a move\" is the last poll interval of each move (~0.2 s), in which it "
                + "commits and its placement switches in Citus' metadata; latencies in ms:\n\n");
        md.append("| requests | count | failed | p50 | p99 | p99.9 | max |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (Latency l : b.latency()) {
            md.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %s | %s | %s | %s |%n", l.name(), l.requests(),
                    l.failed(), number(l.p50Ms()), number(l.p99Ms()), number(l.p999Ms()), number(l.maxMs())));
        }
        md.append("\nEach move, as the polls saw it (times ±0.2 s), with the requests to the moving shard itself and all requests spanning its end:\n\n");
        md.append("| shard | from → to | move s | final phase s | requests to it | slowest ms | in final phase | slowest ms "
                + "| all requests spanning its end | slowest ms |\n|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Move m : b.moves()) {
            md.append(String.format(Locale.ROOT, "| %d | %s → %s | %.1f | %s | %,d | %s | %,d | %s | %,d | %s |%n", m.shard(),
                    m.source(), m.target(), m.durationS(), m.finalPhaseS() == null ? "–" : String.format(Locale.ROOT, "%.1f", m.finalPhaseS()),
                    m.requests(), number(m.maxMs()), m.finalPhaseRequests(), number(m.finalPhaseMaxMs()), m.endRequests(),
                    number(m.endMaxMs())));
        }
        md.append("\n![latency during and outside moves](dialogs-pauses.png)\n\n![timeline](dialogs-timeline.png)\n");
        return md.toString();
    }

    private static void spreadRow(StringBuilder md, String name, String design, Spread s) {
        md.append(String.format(Locale.ROOT, "| %s | %s | %,d | %d | %d of %d | %,d | %,.1f | %,d | %.3f |%n", name, design,
                s.rows(), s.rangesWithRows(), s.shardsWithRows(), s.shards(), s.minRows(), s.meanRows(), s.maxRows(),
                s.maxToMean()));
    }

    private static void historySpreadRow(StringBuilder md, String name, JsonNode s) {
        if (s == null || s.isMissingNode() || s.isNull()) {
            return;
        }
        md.append(String.format(Locale.ROOT, "| %s | %s | %,d | %d | %d of 32 partitions | %,d | %,.1f | %,d | %.3f |%n",
                name, FDW, s.path("rows").asLong(), s.path("partitionsWithRows").asInt(), s.path("partitionsWithRows").asInt(),
                s.path("minRows").asLong(), s.path("meanRows").asDouble(), s.path("maxRows").asLong(),
                s.path("maxToMean").asDouble()));
    }

    private static void runRow(StringBuilder md, Run r) {
        md.append(String.format(Locale.ROOT, "| %s | %s | %,.1f | %s | %s | %s | %s | %,d | %,d |%n", r.name(), r.design(),
                r.throughputRps(), number(r.p50Ms()), number(r.p95Ms()), number(r.p99Ms()), number(r.maxMs()), r.requests(),
                r.errors()));
    }

    // ------------------------------------------------------------------------------------------------
    // Inputs
    // ------------------------------------------------------------------------------------------------

    private static List<ShardRows> shardRows(Path csv) throws IOException {
        List<ShardRows> rows = new ArrayList<>();
        for (CSVRecord r : records(csv)) {
            rows.add(new ShardRows(Long.parseLong(r.get("shard")), Long.parseLong(r.get("hash_min")),
                    Long.parseLong(r.get("hash_max")), r.get("worker"), Long.parseLong(r.get("rows"))));
        }
        rows.sort(Comparator.comparingLong(ShardRows::hashMin));
        return rows;
    }

    /** Shard of each feeder dialog, keyed by its two users (in either order, see {@link #pairKey}). */
    private static Map<String, Long> pairShards(Path csv) throws IOException {
        Map<String, Long> shards = new HashMap<>();
        for (CSVRecord r : records(csv)) {
            shards.put(pairKey(r.get("user_a"), r.get("user_b")), Long.parseLong(r.get("shard")));
        }
        return shards;
    }

    private static String pairKey(String a, String b) {
        return a.compareTo(b) <= 0 ? a + "/" + b : b + "/" + a;
    }

    private static List<Request> requests(Path csv, Map<String, Long> shardOfPair) throws IOException {
        List<Request> requests = new ArrayList<>();
        int unknown = 0;
        for (CSVRecord r : records(csv)) {
            Long shard = shardOfPair.get(pairKey(r.get("user_id"), r.get("peer_id")));
            if (shard == null) {
                unknown++;
            }
            requests.add(new Request(Long.parseLong(r.get("start_ms")), Long.parseLong(r.get("end_ms")),
                    r.get("ok").equals("1"), shard == null ? -1 : shard));
        }
        if (unknown > 0) {
            System.err.printf(Locale.ROOT, "%d logged requests of %d have a dialog without history (no shard known)%n",
                    unknown, requests.size());
        }
        requests.sort(Comparator.comparingLong(Request::startMs));
        return requests;
    }

    /** Builds the move windows from the polls and lines up the requests to each moving shard. */
    private static List<Move> moves(Path csv, List<Request> requests) throws IOException {
        record Seen(long shard, long firstMs, Long finalMs, long lastMs, String source, String target) {
        }
        List<Long> polls = new ArrayList<>();
        Map<Long, Seen> seen = new LinkedHashMap<>();
        for (CSVRecord r : records(csv)) {
            long at = Long.parseLong(r.get("at_ms"));
            if (polls.isEmpty() || polls.getLast() != at) {
                polls.add(at);
            }
            if (r.get("shard").isBlank()) {
                continue;
            }
            long shard = Long.parseLong(r.get("shard"));
            boolean finalPhase = r.get("status").equals(FINAL_CATCH_UP) || r.get("status").equals("Completing");
            String source = r.get("source_port").isBlank() ? null : r.get("source_port");
            String target = r.get("target_port").isBlank() ? null : r.get("target_port");
            Seen old = seen.get(shard);
            seen.put(shard, old == null
                    ? new Seen(shard, at, finalPhase ? at : null, at, source, target)
                    : new Seen(shard, old.firstMs(), old.finalMs() == null && finalPhase ? (Long) at : old.finalMs(), at,
                            old.source() == null ? source : old.source(), old.target() == null ? target : old.target()));
        }
        List<Move> moves = new ArrayList<>();
        for (Seen s : seen.values()) {
            // The move ended between the last poll that saw it and the next one.
            long end = polls.stream().filter(at -> at > s.lastMs()).findFirst().orElse(s.lastMs());
            List<Request> toShard = requests.stream().filter(r -> r.shard() == s.shard() && r.overlaps(s.firstMs(), end)).toList();
            List<Request> inFinal = s.finalMs() == null ? List.of()
                    : toShard.stream().filter(r -> r.overlaps(s.finalMs(), end)).toList();
            List<Request> atEnd = requests.stream().filter(r -> r.overlaps(s.lastMs(), end)).toList();
            moves.add(new Move(s.shard(), worker(s.source()), worker(s.target()), s.firstMs(), s.finalMs(), s.lastMs(), end,
                    round((end - s.firstMs()) / 1000.0, 1), s.finalMs() == null ? null : round((end - s.finalMs()) / 1000.0, 1),
                    toShard.size(), maxLatency(toShard), inFinal.size(), maxLatency(inFinal), atEnd.size(), maxLatency(atEnd)));
        }
        moves.sort(Comparator.comparingLong(Move::startMs));
        return moves;
    }

    /** "worker3" for port 15443 (ports from SOCNET_DIALOGS_WORKER_BASE_PORT, 15441 by default). */
    private static String worker(String port) {
        if (port == null) {
            return "?";
        }
        int base = Integer.parseInt(System.getenv().getOrDefault("SOCNET_DIALOGS_WORKER_BASE_PORT", "15441"));
        return "worker" + (Integer.parseInt(port) - base + 1);
    }

    private static Long maxLatency(List<Request> requests) {
        return requests.stream().mapToLong(Request::latencyMs).boxed().max(Long::compare).orElse(null);
    }

    private static List<Latency> latency(List<Request> requests, List<Move> moves) {
        Predicate<Request> duringMoves = r -> moves.stream().anyMatch(m -> r.overlaps(m.startMs(), m.endMs()));
        Predicate<Request> toMovingShard = r -> moves.stream()
                .anyMatch(m -> m.shard() == r.shard() && r.overlaps(m.startMs(), m.endMs()));
        Predicate<Request> toShardInFinalPhase = r -> moves.stream().anyMatch(m -> m.finalPhaseMs() != null
                && m.shard() == r.shard() && r.overlaps(m.finalPhaseMs(), m.endMs()));
        // The last poll interval of a move holds its commit: the placement switches in Citus' metadata.
        Predicate<Request> spanningMoveEnd = r -> moves.stream().anyMatch(m -> r.overlaps(m.lastSeenMs(), m.endMs()));
        return List.of(
                latencyOf("during moves (all shards)", requests.stream().filter(duringMoves).toList()),
                latencyOf("outside moves", requests.stream().filter(duringMoves.negate()).toList()),
                latencyOf("to the moving shard, during its move", requests.stream().filter(toMovingShard).toList()),
                latencyOf("to the moving shard, in its final phase", requests.stream().filter(toShardInFinalPhase).toList()),
                latencyOf("spanning the end of a move (all shards)", requests.stream().filter(spanningMoveEnd).toList()),
                latencyOf("the whole run", requests));
    }

    private static Latency latencyOf(String name, List<Request> requests) {
        if (requests.isEmpty()) {
            return new Latency(name, 0, 0, null, null, null, null);
        }
        Histogram histogram = new Histogram(5);
        requests.forEach(r -> histogram.recordValue(Math.max(0, r.latencyMs())));
        return new Latency(name, requests.size(), requests.stream().filter(r -> !r.ok()).count(),
                histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99), histogram.getValueAtPercentile(99.9),
                requests.stream().mapToLong(Request::latencyMs).max().orElseThrow());
    }

    private static History history(Path json) throws IOException {
        JsonNode root = JSON.readTree(json.toFile());
        Map<String, Run> runs = new LinkedHashMap<>();
        for (JsonNode r : root.path("runs")) {
            Run run = historyRun(r);
            runs.put(run.name(), run);
        }
        List<Double> targets = new ArrayList<>();
        for (JsonNode t : root.path("targets")) {
            targets.add(t.path("measured").asDouble());
        }
        JsonNode rebalance = root.path("rebalanceRun");
        return new History(root.path("generatedAt").asString(), runs, rebalance.isMissingNode() ? null : historyRun(rebalance),
                root.path("spread"), root.path("gaga"), targets);
    }

    private static Run historyRun(JsonNode r) {
        return new Run(FDW, r.path("name").asString(), r.path("phase").asString(), r.path("workers").asInt(),
                r.path("operation").asString(), r.path("throughputRps").asDouble(), nullable(r, "p50Ms"),
                nullable(r, "p95Ms"), nullable(r, "p99Ms"), nullable(r, "maxMs"), r.path("requests").asLong(),
                r.path("errors").asLong());
    }

    private static Double nullable(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNumber() ? value.asDouble() : null;
    }

    private static Double historyTarget(History history, int index) {
        return history == null || history.targets().size() <= index ? null : history.targets().get(index);
    }

    private static List<CSVRecord> records(Path csv) throws IOException {
        try (var parser = CSVParser.parse(csv, StandardCharsets.UTF_8,
                CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
            return parser.getRecords();
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Charts
    // ------------------------------------------------------------------------------------------------

    private static void writeRangeChart(Spread spread, String title, Path png) throws IOException {
        CategoryChart chart = chart(title + String.format(Locale.ROOT, " (max/mean %.3f)", spread.maxToMean()),
                "hash range (worker)", "rows");
        chart.getStyler().setLabelsVisible(false);
        chart.getStyler().setXAxisLabelRotation(90);
        chart.getStyler().setLegendVisible(false);
        List<String> labels = spread.ranges().stream()
                .map(r -> String.format(Locale.ROOT, "%02d (%s)", r.range(), r.workers().replace("worker", "w")))
                .toList();
        chart.addSeries("rows", labels, spread.ranges().stream().map(r -> (double) r.rows()).toList());
        ReportCharts.save(chart, png);
    }

    private static void writeThroughputChart(List<Run> runs, History history, Path png) throws IOException {
        CategoryChart chart = chart("Dialogs through the gateway: successful requests / s", "run", "requests / s");
        chart.getStyler().setXAxisLabelRotation(20);
        List<String> labels = runs.stream().map(Run::name).toList();
        chart.addSeries(CITUS, labels, runs.stream().map(Run::throughputRps).toList());
        if (history != null) {
            chart.addSeries(FDW, labels, labels.stream()
                    .map(name -> history.runs().containsKey(name) ? history.runs().get(name).throughputRps() : 0.0).toList());
        }
        ReportCharts.save(chart, png);
    }

    private static void writeLatencyChart(List<Run> runs, History history, Path png) throws IOException {
        CategoryChart chart = chart("Dialogs through the gateway: latency", "run", "response time, ms");
        chart.getStyler().setXAxisLabelRotation(20);
        List<String> labels = runs.stream().map(Run::name).toList();
        Map<String, Function<Run, Double>> percentiles = new LinkedHashMap<>();
        percentiles.put("p50", Run::p50Ms);
        percentiles.put("p99", Run::p99Ms);
        percentiles.forEach((name, percentile) -> {
            chart.addSeries(name + ", " + CITUS, labels, runs.stream().map(r -> zeroIfNull(percentile.apply(r))).toList());
            if (history != null) {
                chart.addSeries(name + ", " + FDW, labels, labels.stream().map(n -> history.runs().containsKey(n)
                        ? zeroIfNull(percentile.apply(history.runs().get(n))) : 0.0).toList());
            }
        });
        ReportCharts.save(chart, png);
    }

    private static void writePauseChart(List<Latency> latency, Path png) throws IOException {
        CategoryChart chart = chart("Client-side latency while Citus moved shards vs outside moves (target: max < 1000 ms)",
                "requests", "ms");
        chart.getStyler().setXAxisLabelRotation(10);
        List<Latency> shown = latency.stream().filter(l -> l.requests() > 0).toList();
        List<String> labels = shown.stream().map(Latency::name).toList();
        chart.addSeries("p50", labels, shown.stream().map(l -> (double) l.p50Ms()).toList());
        chart.addSeries("p99", labels, shown.stream().map(l -> (double) l.p99Ms()).toList());
        chart.addSeries("p99.9", labels, shown.stream().map(l -> (double) l.p999Ms()).toList());
        chart.addSeries("max", labels, shown.stream().map(l -> (double) l.maxMs()).toList());
        ReportCharts.save(chart, png);
    }

    /** Slowest request per second of the run (by start), the moving shards' requests marked, and moves in progress. */
    private static void writeTimelineChart(List<Request> requests, List<Move> moves, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(ReportCharts.WIDTH_PX).height(ReportCharts.HEIGHT_PX)
                .title("Rebalance under load: slowest request per second, and shards moving")
                .xAxisTitle("s since the run's first request").yAxisTitle("slowest request in the second, ms").build();
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        if (requests.isEmpty()) {
            chart.addSeries("no requests", List.of(0.0), List.of(0.0));
            saveXy(chart, png);
            return;
        }
        long t0 = requests.getFirst().startMs();
        TreeMap<Long, Long> slowest = new TreeMap<>();
        TreeMap<Long, Long> slowestToMoving = new TreeMap<>();
        for (Request r : requests) {
            long second = (r.startMs() - t0) / 1000;
            slowest.merge(second, r.latencyMs(), Math::max);
            boolean toMoving = moves.stream().anyMatch(m -> m.shard() == r.shard() && r.overlaps(m.startMs(), m.endMs()));
            if (toMoving) {
                slowestToMoving.merge(second, r.latencyMs(), Math::max);
            }
        }
        XYSeries all = chart.addSeries("all requests", slowest.keySet().stream().map(Long::doubleValue).toList(),
                slowest.values().stream().map(Long::doubleValue).toList());
        all.setMarker(SeriesMarkers.NONE);
        if (!slowestToMoving.isEmpty()) {
            XYSeries moving = chart.addSeries("requests to the moving shard",
                    slowestToMoving.keySet().stream().map(Long::doubleValue).toList(),
                    slowestToMoving.values().stream().map(Long::doubleValue).toList());
            moving.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            moving.setMarker(SeriesMarkers.CIRCLE);
        }
        long last = slowest.lastKey();
        List<Double> xs = new ArrayList<>();
        List<Double> inProgress = new ArrayList<>();
        for (long second = 0; second <= last; second++) {
            long from = t0 + second * 1000;
            long to = from + 1000;
            xs.add((double) second);
            inProgress.add((double) moves.stream().filter(m -> m.startMs() < to && m.endMs() > from).count());
        }
        XYSeries moving = chart.addSeries("shards moving (right axis)", xs, inProgress);
        moving.setYAxisGroup(1);
        moving.setMarker(SeriesMarkers.NONE);
        moving.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        chart.setYAxisGroupTitle(1, "shards moving");
        saveXy(chart, png);
    }

    private static void saveXy(XYChart chart, Path png) throws IOException {
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static CategoryChart chart(String title, String xTitle, String yTitle) {
        CategoryChart chart = ReportCharts.bars(title, xTitle, yTitle);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        return chart;
    }

    // ------------------------------------------------------------------------------------------------
    // Numbers
    // ------------------------------------------------------------------------------------------------

    private static String number(Long value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%,d", value);
    }

    private static String number(Double value) {
        if (value == null || value.isNaN()) {
            return "–";
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? String.format(Locale.ROOT, "%,d", value.longValue())
                : String.format(Locale.ROOT, "%,.3f", value).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private static double zeroIfNull(Double value) {
        return value == null ? 0 : value;
    }

    private static Double orNull(double value) {
        return Double.isNaN(value) ? null : value;
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
