package dev.socnet.loadtest.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.style.Styler;

import tools.jackson.databind.json.JsonMapper;

/**
 * Report of {@code ./socnet bench replicas} (scripts/bench/replicas.sh): writes
 * {@code replicas.json}, the generated section of {@code replicas.md} and four PNG charts into the docs
 * directory.
 *
 * <p>Inputs ({@code --name=value}):
 * <ul>
 *   <li>{@code --runs}: a directory with one Gatling report directory per read variant
 *       ({@code primary-only}, {@code replicas});</li>
 *   <li>{@code --nodes}: CSV {@code variant,node,role,calls} — statements on {@code users} each
 *       PostgreSQL node executed during the variant's run (pg_stat_statements deltas);</li>
 *   <li>{@code --pgbench}: a directory with {@code sync/} and {@code async/} pgbench transaction logs
 *       ({@code pgbench -l}: the third column is the transaction latency in µs) and a
 *       {@code <variant>.tps} file each holding pgbench's reported transactions per second;</li>
 *   <li>{@code --docs}: output directory; {@code --users}, {@code --duration-s}: the read load's shape.</li>
 * </ul>
 * Percentiles of the write latency are nearest-rank over every logged transaction.
 */
public final class ReplicasReport {

    static final List<String> READ_VARIANTS = List.of("primary-only", "replicas");
    static final List<String> WRITE_VARIANTS = List.of("sync", "async");

    /** Result of one read variant. */
    public record ReadRun(String variant, GatlingRunStats stats, Map<String, Long> callsByNode,
            Map<String, String> roleByNode) {

        long replicaCalls() {
            return callsByNode.entrySet().stream()
                    .filter(e -> "replica".equals(roleByNode.get(e.getKey())))
                    .mapToLong(Map.Entry::getValue).sum();
        }

        long totalCalls() {
            return callsByNode.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Share of the statements that ran on replicas, in percent (NaN when none ran). */
        public double replicaSharePct() {
            return totalCalls() == 0 ? Double.NaN : 100.0 * replicaCalls() / totalCalls();
        }
    }

    /** Write latency of one commit mode: percentiles in ms, throughput in transactions/s. */
    public record WriteRun(String variant, long transactions, double tps, double p50Ms, double p95Ms,
            double p99Ms) {
    }

    private ReplicasReport() {
    }

    public static void main(String[] args) throws IOException {
        MainArguments arguments = MainArguments.parse(args);
        Path runs = arguments.requirePath("runs");
        Path docs = arguments.requirePath("docs");
        Files.createDirectories(docs);
        Map<String, Map<String, Long>> calls = new LinkedHashMap<>();
        Map<String, String> roles = new LinkedHashMap<>();
        for (String line : Files.readAllLines(arguments.requirePath("nodes"), StandardCharsets.UTF_8)) {
            String[] f = line.split(",");
            if (f.length != 4 || f[0].equals("variant")) {
                continue;
            }
            calls.computeIfAbsent(f[0], v -> new LinkedHashMap<>()).put(f[1], Long.parseLong(f[3].strip()));
            roles.put(f[1], f[2]);
        }
        List<ReadRun> reads = new ArrayList<>();
        for (String variant : READ_VARIANTS) {
            reads.add(new ReadRun(variant, GatlingRunStats.read(runs.resolve(variant)),
                    calls.getOrDefault(variant, Map.of()), roles));
        }
        List<WriteRun> writes = new ArrayList<>();
        for (String variant : WRITE_VARIANTS) {
            writes.add(writeRun(arguments.requirePath("pgbench"), variant));
        }
        JsonMapper json = JsonMapper.builder().build();
        json.writerWithDefaultPrettyPrinter().writeValue(docs.resolve("replicas.json").toFile(),
                Map.of("reads", reads, "writes", writes));
        writeCharts(reads, writes, docs);
        GeneratedMarkdownSection.write(docs.resolve("replicas.md"), "Read replicas benchmark",
                markdown(reads, writes, arguments.require("users"), arguments.require("duration-s")));
    }

    static WriteRun writeRun(Path pgbench, String variant) throws IOException {
        List<Long> micros = new ArrayList<>();
        try (Stream<Path> logs = Files.list(pgbench.resolve(variant))) {
            for (Path log : logs.sorted().toList()) {
                for (String line : Files.readAllLines(log)) {
                    String[] f = line.strip().split("\\s+");
                    if (f.length >= 3) {
                        micros.add(Long.parseLong(f[2]));
                    }
                }
            }
        }
        long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
        double tps = Double.parseDouble(Files.readString(pgbench.resolve(variant + ".tps")).strip());
        return new WriteRun(variant, sorted.length, tps, percentileMs(sorted, 50), percentileMs(sorted, 95),
                percentileMs(sorted, 99));
    }

    /** Nearest-rank percentile of µs values, in ms. */
    static double percentileMs(long[] sortedMicros, double percentile) {
        if (sortedMicros.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * sortedMicros.length);
        return sortedMicros[Math.max(0, rank - 1)] / 1000.0;
    }

    private static String markdown(List<ReadRun> reads, List<WriteRun> writes, String users, String durationS) {
        StringBuilder md = new StringBuilder();
        md.append("Read mix (GET /user/get + GET /user/search, ").append(users).append(" concurrent users, ")
                .append(durationS).append(" s per variant, through HAProxy and both app instances):\n\n")
                .append("| reads go to | requests/s | p50 ms | p95 ms | p99 ms | errors | statements on replicas |\n")
                .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (ReadRun r : reads) {
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f | %d | %.1f %% |%n", r.variant(),
                    r.stats().requestsPerS(), r.stats().p50Ms(), r.stats().p95Ms(), r.stats().p99Ms(), r.stats().ko(),
                    r.replicaSharePct()));
        }
        md.append("\nStatements on `users` per node during each run (pg_stat_statements deltas):\n\n")
                .append("| reads go to | node | role | statements |\n| --- | --- | --- | ---: |\n");
        for (ReadRun r : reads) {
            r.callsByNode().forEach((node, n) -> md.append(String.format(Locale.ROOT, "| %s | %s | %s | %d |%n",
                    r.variant(), node, r.roleByNode().get(node), n)));
        }
        md.append("\nWrite latency of quorum commit (pgbench, single-row INSERT per transaction on the primary):\n\n")
                .append("| commit | transactions | tps | p50 ms | p95 ms | p99 ms |\n| --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (WriteRun w : writes) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.2f | %.2f | %.2f |%n", w.variant(),
                    w.transactions(), w.tps(), w.p50Ms(), w.p95Ms(), w.p99Ms()));
        }
        WriteRun sync = writes.get(0);
        WriteRun async = writes.get(1);
        md.append(String.format(Locale.ROOT,
                "%nQuorum commit costs %.2f ms at p50 (×%.1f) and %.2f ms at p99 per write on this machine.%n",
                sync.p50Ms() - async.p50Ms(), sync.p50Ms() / async.p50Ms(), sync.p99Ms() - async.p99Ms()));
        md.append("\n![throughput](replicas-throughput.png)\n![latency](replicas-latency.png)\n")
                .append("![statements per node](replicas-nodes.png)\n![write latency](replicas-writes.png)\n");
        return md.toString();
    }

    private static void writeCharts(List<ReadRun> reads, List<WriteRun> writes, Path docs) throws IOException {
        List<String> variants = reads.stream().map(ReadRun::variant).toList();
        CategoryChart throughput = chart("Read mix throughput", "reads go to", "requests / s");
        throughput.addSeries("requests/s", variants, reads.stream().map(r -> r.stats().requestsPerS()).toList());
        ReportCharts.save(throughput, docs.resolve("replicas-throughput.png"));

        CategoryChart latency = chart("Read mix latency", "reads go to", "response time, ms");
        latency.addSeries("p50", variants, reads.stream().map(r -> r.stats().p50Ms()).toList());
        latency.addSeries("p95", variants, reads.stream().map(r -> r.stats().p95Ms()).toList());
        latency.addSeries("p99", variants, reads.stream().map(r -> r.stats().p99Ms()).toList());
        ReportCharts.save(latency, docs.resolve("replicas-latency.png"));

        CategoryChart nodes = chart("Statements on users per node", "reads go to", "statements");
        List<String> nodeNames = reads.stream().flatMap(r -> r.callsByNode().keySet().stream()).distinct().toList();
        for (String node : nodeNames) {
            nodes.addSeries(node, variants, reads.stream()
                    .map(r -> (Number) r.callsByNode().getOrDefault(node, 0L)).toList());
        }
        ReportCharts.save(nodes, docs.resolve("replicas-nodes.png"));

        CategoryChart writeLatency = chart("Write latency: quorum (sync) vs async commit", "percentile", "ms");
        List<String> percentiles = Arrays.asList("p50", "p95", "p99");
        for (WriteRun w : writes) {
            writeLatency.addSeries(w.variant(), percentiles, List.of(w.p50Ms(), w.p95Ms(), w.p99Ms()));
        }
        ReportCharts.save(writeLatency, docs.resolve("replicas-writes.png"));
    }

    private static CategoryChart chart(String title, String x, String y) {
        CategoryChart chart = ReportCharts.bars(title, x, y);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        return chart;
    }
}
