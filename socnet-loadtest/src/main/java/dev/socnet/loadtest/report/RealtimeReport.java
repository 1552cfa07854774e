package dev.socnet.loadtest.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import dev.socnet.loadtest.report.RealtimeDelivery.PostDelivery;
import dev.socnet.loadtest.report.RealtimeDelivery.SocketDelivery;
import dev.socnet.loadtest.report.RealtimeDelivery.Summary;
import dev.socnet.loadtest.report.RealtimeRuns.InstanceCpu;
import dev.socnet.loadtest.report.RealtimeRuns.InstancesRun;
import dev.socnet.loadtest.report.RealtimeRuns.NodeKillRun;
import dev.socnet.loadtest.report.RealtimeRuns.Phase;
import dev.socnet.loadtest.report.RealtimeRuns.PhasesRun;
import dev.socnet.loadtest.report.RealtimeRuns.Round;
import dev.socnet.loadtest.report.RealtimeRuns.StreamPost;

/**
 * The live feed benchmark's report ({@code ./socnet bench realtime}): the runs {@link RealtimeProbe} left in
 * {@code --results=DIR} ({@code phases.json}, {@code node-kill.json}, {@code instances-N.json}; a missing one is
 * left out) become the generated section of {@code --docs=DIR/realtime.md} ({@link GeneratedMarkdownSection}: the
 * method above it is hand-written) and PNG charts beside it. {@code --environment=TEXT} describes the machine.
 *
 * <p>Percentiles: of the ordinary/celebrity phases by nearest rank over every frame (as since the benchmark's
 * first version, so that old and new tables compare); of the node-kill and instance runs by HdrHistogram
 * ({@link Summary}). Latencies are ms after the create answer.
 */
public final class RealtimeReport {

    static final String TITLE = "Benchmark: live feed over WebSocket";

    private RealtimeReport() {
    }

    /** What one bench left behind; a null or empty part was not run. */
    record Results(String environment, PhasesRun phases, NodeKillRun nodeKill, List<InstancesRun> instances) {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        MainArguments arguments = MainArguments.parse(args);
        Path dir = arguments.requirePath("results");
        Path docs = arguments.requirePath("docs");
        PhasesRun phases = Files.exists(dir.resolve("phases.json")) ? RealtimeRuns.read(dir.resolve("phases.json"), PhasesRun.class) : null;
        NodeKillRun kill = Files.exists(dir.resolve("node-kill.json"))
                ? RealtimeRuns.read(dir.resolve("node-kill.json"), NodeKillRun.class) : null;
        List<InstancesRun> instances = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches("instances-\\d+\\.json")).toList()) {
                instances.add(RealtimeRuns.read(f, InstancesRun.class));
            }
        }
        instances.sort(Comparator.comparingInt(r -> r.ports().size()));
        Results results = new Results(arguments.require("environment"), phases, kill, instances);
        Files.createDirectories(docs);
        String md = markdown(results);
        GeneratedMarkdownSection.write(docs.resolve("realtime.md"), TITLE, md);
        charts(results, docs);
        System.out.println(md);
    }

    /** The generated section: one subsection per run that took place. */
    static String markdown(Results results) {
        StringBuilder md = new StringBuilder();
        md.append("Last run: ").append(results.environment()).append("\n\n");
        if (results.phases() != null) {
            phases(md, results.phases());
        }
        if (results.nodeKill() != null) {
            nodeKill(md, results.nodeKill());
        }
        if (!results.instances().isEmpty()) {
            instances(md, results.instances());
        }
        return md.toString();
    }

    private static void phases(StringBuilder md, PhasesRun run) {
        md.append("### Ordinary author and celebrity\n\n");
        md.append("Two bench instances (ports ").append(run.ports()).append("), ").append(run.rounds())
                .append(" posts per author, created through the first instance.\n\n");
        md.append("| author | online followers | posts | delivered / expected | duplicates | p50 ms | p95 ms | p99 ms | max ms | p99 after request ms | create p50 ms |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Phase phase : run.phases()) {
            double[] lat = all(phase, true);
            double[] req = all(phase, false);
            int delivered = phase.rounds().stream().mapToInt(Round::delivered).sum();
            int expected = phase.rounds().stream().mapToInt(Round::expected).sum();
            int duplicates = phase.rounds().stream().mapToInt(Round::duplicates).sum();
            double[] creates = phase.rounds().stream().mapToDouble(Round::createMs).sorted().toArray();
            md.append(String.format(Locale.ROOT, "| %s | %,d | %d | %,d / %,d | %d | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |%n",
                    phase.label(), phase.followers(), phase.rounds().size(), delivered, expected, duplicates,
                    percentile(lat, 50), percentile(lat, 95), percentile(lat, 99), lat.length == 0 ? Double.NaN : lat[lat.length - 1],
                    percentile(req, 99), percentile(creates, 50)));
        }
        md.append("\nPer post (delivered/expected, p50/p99 ms):\n\n");
        for (Phase phase : run.phases()) {
            md.append("- ").append(phase.label()).append(": ");
            List<String> cells = new ArrayList<>();
            for (Round r : phase.rounds()) {
                cells.add(String.format(Locale.ROOT, "%,d/%,d %.0f/%.0f", r.delivered(), r.expected(),
                        percentile(r.afterAnswerMs(), 50), percentile(r.afterAnswerMs(), 99)));
            }
            md.append(String.join("; ", cells)).append('\n');
        }
        md.append("\n![latency percentiles](realtime-latency.png)\n\n![per post p99](realtime-rounds.png)\n\n");
    }

    private static void nodeKill(StringBuilder md, NodeKillRun run) {
        List<StreamPost> posts = run.posts();
        List<PostDelivery> perPost = RealtimeDelivery.perPost(posts, run.sockets());
        List<SocketDelivery> perSocket = perSocket(run);
        long created = posts.stream().filter(StreamPost::created).count();
        md.append("### RabbitMQ node killed under a stream of posts\n\n");
        md.append(String.format(Locale.ROOT, "Node %s killed (`%s`, exit %d) %.1f s into a stream of %d posts (%d created), "
                        + "one every %d ms by the ordinary author through :%d, to %,d online followers spread over %d bench "
                        + "instances %s. "
                        + "The kill moment is when the command printed its kill line (%.1f s; the command ran from %.1f s to %.1f s); "
                        + "the stream ended at %.1f s.%s\n\n",
                run.node() > 0 ? String.valueOf(run.node()) : "?", run.killCommand(), run.killExit(), run.killAtMs() / 1000,
                posts.size(), created, run.postEveryMs(), run.createPort(), run.sockets().size(), run.ports().size(), instanceNodes(run),
                run.killAtMs() / 1000, run.killStartedMs() / 1000, run.killEndedMs() / 1000, run.streamEndMs() / 1000,
                run.killExit() == 0 ? "" : " **The kill command failed: the figures below are of a stream without a kill.**"));

        md.append("| posts | count | frames delivered / expected | lost | duplicates | p50 ms | p99 ms | max ms |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        deliveryRow(md, "sent before the kill", perPost.stream().filter(p -> posts.get(p.post()).sentMs() < run.killAtMs()).toList());
        deliveryRow(md, "sent after the kill", perPost.stream().filter(p -> posts.get(p.post()).sentMs() >= run.killAtMs()).toList());
        deliveryRow(md, "all", perPost);

        md.append("\nPer instance (per socket: the longest time without a frame between the first and the last post's answer; "
                + "from the kill to the socket's first frame, and to its first frame of a post sent after the kill; "
                + "p50 / max over the instance's sockets):\n\n");
        md.append("| instance | RabbitMQ node before the kill | sockets | frames delivered / expected | duplicates | longest gap ms | "
                + "kill → first frame ms | kill → first frame of a later post ms | never resumed | closed |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        long afterKill = perPost.stream().filter(p -> posts.get(p.post()).sentMs() >= run.killAtMs()).count();
        for (int port : run.ports()) {
            List<SocketDelivery> sockets = perSocket.stream().filter(s -> s.port() == port).toList();
            int delivered = 0;
            for (int i = 0; i < run.sockets().size(); i++) {
                if (run.sockets().get(i).port() == port) {
                    delivered += (int) Arrays.stream(run.sockets().get(i).posts()).distinct().count();
                }
            }
            Summary gap = summary(sockets, SocketDelivery::longestGapMs);
            Summary first = summary(sockets, SocketDelivery::firstFrameAfterKillMs);
            Summary resumed = summary(sockets, SocketDelivery::resumedAfterMs);
            String node = run.instanceNodes().getOrDefault(port, "");
            md.append(String.format(Locale.ROOT, "| :%d | %s | %,d | %,d / %,d | %d | %s | %s | %s | %d | %d |%n", port,
                    node.isEmpty() ? "?" : node + (node.equals(String.valueOf(run.node())) ? " (killed)" : ""),
                    sockets.size(), delivered, created * sockets.size(),
                    sockets.stream().mapToInt(SocketDelivery::duplicates).sum(),
                    pair(gap), pair(first), pair(resumed),
                    afterKill == 0 ? 0 : sockets.stream().filter(s -> s.resumedAfterMs() < 0).count(),
                    sockets.stream().filter(SocketDelivery::closed).count()));
        }
        md.append("\nPer post (s from the kill, delivered/expected, p50/max ms): ");
        List<String> cells = new ArrayList<>();
        for (PostDelivery p : perPost) {
            Summary s = Summary.of(p.latencyMs());
            cells.add(String.format(Locale.ROOT, "%+.1f %,d/%,d %s/%s", (posts.get(p.post()).sentMs() - run.killAtMs()) / 1000,
                    p.delivered(), p.expected(), ms(s.p50()), ms(s.max())));
        }
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < posts.size(); i++) {
            if (!posts.get(i).created()) {
                failed.add(String.format(Locale.ROOT, "%+.1f s (%s)", (posts.get(i).sentMs() - run.killAtMs()) / 1000,
                        posts.get(i).status() == 0 ? "no answer" : "HTTP " + posts.get(i).status()));
            }
        }
        md.append(String.join("; ", cells)).append(".\n");
        if (!failed.isEmpty()) {
            md.append("\nCreates that failed: ").append(String.join(", ", failed)).append(".\n");
        }
        md.append("\nLive frames are best effort: a frame that never came is a post the follower sees on the next feed "
                + "read (`GET /post/feed`, the durable record), not a lost post. A frame whose publish was refused while "
                + "its instance's queue was missing comes later through the outbox's resubmission, if within the "
                + "run's wait after the stream.\n\n");
        md.append("![per-post latency around the node kill](realtime-node-kill.png)\n\n"
                + "![frames delivered per post around the node kill](realtime-node-kill-delivered.png)\n\n");
    }

    private static String instanceNodes(NodeKillRun run) {
        List<String> parts = new ArrayList<>();
        for (int port : run.ports()) {
            String node = run.instanceNodes().getOrDefault(port, "");
            parts.add(":" + port + (node.isEmpty() ? "" : " on node " + node));
        }
        return "(" + String.join(", ", parts) + ")";
    }

    private static void deliveryRow(StringBuilder md, String name, List<PostDelivery> posts) {
        long delivered = posts.stream().mapToLong(PostDelivery::delivered).sum();
        long expected = posts.stream().mapToLong(PostDelivery::expected).sum();
        Summary s = Summary.of(posts.stream().flatMapToDouble(p -> Arrays.stream(p.latencyMs())).toArray());
        md.append(String.format(Locale.ROOT, "| %s | %d | %,d / %,d | %,d | %d | %s | %s | %s |%n", name, posts.size(), delivered,
                expected, expected - delivered, posts.stream().mapToInt(PostDelivery::duplicates).sum(), ms(s.p50()), ms(s.p99()),
                ms(s.max())));
    }

    static List<SocketDelivery> perSocket(NodeKillRun run) {
        double from = run.posts().stream().filter(StreamPost::created).mapToDouble(StreamPost::answeredMs).min().orElse(0);
        double to = run.posts().stream().filter(StreamPost::created).mapToDouble(StreamPost::answeredMs).max().orElse(0);
        return run.sockets().stream().map(s -> RealtimeDelivery.perSocket(s, run.posts(), run.killAtMs(), from, to)).toList();
    }

    /** Percentiles over sockets of a figure; sockets where it is -1 (never happened) are left out. */
    private static Summary summary(List<SocketDelivery> sockets, ToDoubleFunction<SocketDelivery> figure) {
        return Summary.of(sockets.stream().mapToDouble(figure).filter(v -> v >= 0).toArray());
    }

    private static String pair(Summary s) {
        return ms(s.p50()) + " / " + ms(s.max());
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%,.0f", v);
    }

    private static void instances(StringBuilder md, List<InstancesRun> runs) {
        InstancesRun first = runs.getFirst();
        md.append("### ").append(String.join(" vs ", runs.stream().map(r -> String.valueOf(r.ports().size())).toList()))
                .append(" instances\n\n");
        md.append(String.format(Locale.ROOT, "The celebrity's posts to %,d online followers, spread round robin over %s "
                        + "bench instances, one run after the other (an instance more started just before the next run); "
                        + "each run opens its own connections, makes %d unmeasured posts (a new instance's first posts run "
                        + "interpreted code), then %d measured ones. CPU: each instance's JVM (user + system) over the "
                        + "measured posts and their pauses, in cores (CPU seconds per second).\n\n",
                first.followers(), String.join(", then ", runs.stream().map(r -> String.valueOf(r.ports().size())).toList()),
                first.warmUpRounds(), first.rounds().size()));
        md.append(String.format(Locale.ROOT, "**One machine with %d CPU cores runs every instance, PostgreSQL, Redis, "
                + "RabbitMQ and the load generator: a third JVM competes for the same %d cores, so this comparison shows "
                + "the overhead of one more instance, not scale-out.** More instances add capacity when each has cores "
                + "of its own (other hosts).%n%n", first.cores(), first.cores()));
        md.append("| instances | online followers | posts | delivered / expected | duplicates | p50 ms | p95 ms | p99 ms | max ms "
                + "| create p50 ms | connect s | CPU cores of the instances | load generator cores | machine busy cores |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|\n");
        for (InstancesRun run : runs) {
            Summary s = Summary.of(latencies(run));
            Summary create = Summary.of(run.rounds().stream().mapToDouble(Round::createMs).toArray());
            md.append(String.format(Locale.ROOT, "| %d | %,d | %d | %,d / %,d | %d | %s | %s | %s | %s | %s | %.1f | %s | %s | %s |%n",
                    run.ports().size(), run.followers(), run.rounds().size(),
                    run.rounds().stream().mapToInt(Round::delivered).sum(), run.rounds().stream().mapToInt(Round::expected).sum(),
                    run.rounds().stream().mapToInt(Round::duplicates).sum(), ms(s.p50()), ms(s.p95()), ms(s.p99()), ms(s.max()),
                    ms(create.p50()), run.connectS(), cpu(run), cores(run.probeCpuS(), run.windowS()),
                    run.machineBusyCores() < 0 ? "–" : String.format(Locale.ROOT, "%.2f", run.machineBusyCores())));
        }
        md.append("\n![2 vs 3 instances](realtime-instances.png)\n");
    }

    /**
     * "0.61 + 0.58 = 1.19": per instance, in port order, and their sum; an instance whose figure is missing shows
     * "–" and leaves the sum out; "–" without any figure.
     */
    static String cpu(InstancesRun run) {
        List<InstanceCpu> cpu = run.cpu();
        if (cpu.stream().noneMatch(c -> c.cpuS() >= 0) || run.windowS() <= 0) {
            return "–";
        }
        String each = String.join(" + ", cpu.stream().map(c -> cores(c.cpuS(), run.windowS())).toList());
        boolean complete = cpu.stream().allMatch(c -> c.cpuS() >= 0);
        return cpu.size() == 1 || !complete ? each
                : each + " = " + cores(cpu.stream().mapToDouble(InstanceCpu::cpuS).sum(), run.windowS());
    }

    private static String cores(double cpuS, double windowS) {
        return cpuS < 0 || windowS <= 0 ? "–" : String.format(Locale.ROOT, "%.2f", cpuS / windowS);
    }

    private static double[] latencies(InstancesRun run) {
        return run.rounds().stream().flatMapToDouble(r -> Arrays.stream(r.afterAnswerMs())).toArray();
    }

    static void charts(Results results, Path docs) throws IOException {
        if (results.phases() != null) {
            phaseCharts(results.phases(), docs);
        }
        if (results.nodeKill() != null) {
            nodeKillCharts(results.nodeKill(), docs);
        }
        if (!results.instances().isEmpty()) {
            List<InstancesRun> runs = results.instances();
            CategoryChart chart = chart("Celebrity posts over " + String.join(" vs ", runs.stream()
                    .map(r -> String.valueOf(r.ports().size())).toList()) + " instances (one machine, "
                    + runs.getFirst().cores() + " cores)", "percentile", "ms after the create answer");
            List<String> percentiles = List.of("p50", "p95", "p99", "max");
            for (InstancesRun run : results.instances()) {
                Summary s = Summary.of(latencies(run));
                chart.addSeries(run.ports().size() + " instances (" + run.followers() + " online followers)", percentiles,
                        Stream.of(s.p50(), s.p95(), s.p99(), s.max()).map(v -> Double.isNaN(v) ? 0 : v).toList());
            }
            ReportCharts.save(chart, docs.resolve("realtime-instances.png"));
        }
    }

    private static void phaseCharts(PhasesRun run, Path docs) throws IOException {
        CategoryChart latency = chart("Live feed delivery latency (target p99 < 1000 ms)", "percentile", "ms after the create answer");
        List<String> percentiles = List.of("p50", "p95", "p99", "max");
        for (Phase phase : run.phases()) {
            double[] lat = all(phase, true);
            latency.addSeries(phase.label() + " (" + phase.followers() + " online followers)", percentiles,
                    List.of(percentile(lat, 50), percentile(lat, 95), percentile(lat, 99), lat.length == 0 ? 0 : lat[lat.length - 1]));
        }
        ReportCharts.save(latency, docs.resolve("realtime-latency.png"));
        CategoryChart perRound = chart("p99 per post", "post", "ms after the create answer");
        for (Phase phase : run.phases()) {
            List<String> names = new ArrayList<>();
            List<Double> p99 = new ArrayList<>();
            for (int i = 0; i < phase.rounds().size(); i++) {
                names.add(String.valueOf(i + 1));
                p99.add(percentile(phase.rounds().get(i).afterAnswerMs(), 99));
            }
            perRound.addSeries(phase.label(), names, p99);
        }
        ReportCharts.save(perRound, docs.resolve("realtime-rounds.png"));
    }

    /**
     * Two line charts over the stream, x in seconds from the kill (by when each post was sent), the kill a
     * vertical line at 0: per post p50/p99/max latency of its delivered frames (posts without any left out), and
     * per post the share of sockets its frame reached.
     */
    private static void nodeKillCharts(NodeKillRun run, Path docs) throws IOException {
        List<PostDelivery> perPost = RealtimeDelivery.perPost(run.posts(), run.sockets());
        String killed = "RabbitMQ node " + (run.node() > 0 ? run.node() : "?") + " killed";
        XYChart latency = ReportCharts.lines("Per-post delivery latency around the node kill (" + run.sockets().size()
                + " online followers, a post every " + run.postEveryMs() + " ms)", "s from the kill (post sent)", "ms after the create answer");
        List<Double> x = new ArrayList<>();
        List<Double> p50 = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        List<Double> max = new ArrayList<>();
        for (PostDelivery p : perPost) {
            if (p.latencyMs().length == 0) {
                continue;
            }
            Summary s = Summary.of(p.latencyMs());
            x.add((run.posts().get(p.post()).sentMs() - run.killAtMs()) / 1000);
            p50.add(s.p50());
            p99.add(s.p99());
            max.add(s.max());
        }
        if (!x.isEmpty()) {
            latency.addSeries("p50", x, p50).setMarker(SeriesMarkers.CIRCLE);
            latency.addSeries("p99", x, p99).setMarker(SeriesMarkers.CIRCLE);
            latency.addSeries("max", x, max).setMarker(SeriesMarkers.CIRCLE);
        }
        double top = Math.max(1, max.stream().mapToDouble(Double::doubleValue).max().orElse(1));
        killLine(latency, killed, top);
        latency.getStyler().setMarkerSize(4);
        latency.getStyler().setXAxisDecimalPattern("#,##0.#");
        ReportCharts.save(latency, docs.resolve("realtime-node-kill.png"));

        XYChart delivered = ReportCharts.lines("Frames delivered per post around the node kill", "s from the kill (post sent)",
                "% of the online followers");
        List<Double> dx = new ArrayList<>();
        List<Double> share = new ArrayList<>();
        for (PostDelivery p : perPost) {
            dx.add((run.posts().get(p.post()).sentMs() - run.killAtMs()) / 1000);
            share.add(p.expected() == 0 ? 0 : 100.0 * p.delivered() / p.expected());
        }
        if (!dx.isEmpty()) {
            delivered.addSeries("delivered", dx, share).setMarker(SeriesMarkers.CIRCLE);
        }
        killLine(delivered, killed, 100);
        delivered.getStyler().setMarkerSize(4);
        delivered.getStyler().setXAxisDecimalPattern("#,##0.#");
        delivered.getStyler().setYAxisMin(0.0);
        ReportCharts.save(delivered, docs.resolve("realtime-node-kill-delivered.png"));
    }

    private static void killLine(XYChart chart, String name, double top) {
        XYSeries line = chart.addSeries(name, List.of(0.0, 0.0), List.of(0.0, top));
        line.setMarker(SeriesMarkers.NONE);
        line.setLineColor(java.awt.Color.RED);
    }

    private static CategoryChart chart(String title, String x, String y) {
        CategoryChart chart = ReportCharts.bars(title, x, y);
        chart.getStyler().setDecimalPattern("#,##0");
        return chart;
    }

    /** Nearest-rank percentile of ascending values (the phases' figures); NaN when there are none. */
    static double percentile(double[] sortedMs, int p) {
        if (sortedMs.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sortedMs.length) - 1;
        return sortedMs[Math.max(0, Math.min(index, sortedMs.length - 1))];
    }

    private static double[] all(Phase phase, boolean afterAnswer) {
        return phase.rounds().stream().flatMapToDouble(r -> Arrays.stream(afterAnswer ? r.afterAnswerMs() : r.afterRequestMs()))
                .sorted().toArray();
    }
}
