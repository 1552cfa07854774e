package dev.socnet.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.socnet.loadtest.report.RealtimeRuns.InstanceCpu;
import dev.socnet.loadtest.report.RealtimeRuns.InstancesRun;
import dev.socnet.loadtest.report.RealtimeRuns.NodeKillRun;
import dev.socnet.loadtest.report.RealtimeRuns.Phase;
import dev.socnet.loadtest.report.RealtimeRuns.PhasesRun;
import dev.socnet.loadtest.report.RealtimeRuns.Round;
import dev.socnet.loadtest.report.RealtimeRuns.SocketFrames;
import dev.socnet.loadtest.report.RealtimeRuns.StreamPost;

class RealtimeReportTest {

    static Round round(int expected, double... ms) {
        return new Round("p", expected, ms.length, 0, 10, ms, ms);
    }

    static PhasesRun phases() {
        return new PhasesRun(List.of(18097, 18098), 2, List.of(
                new Phase("ordinary", 2, List.of(round(2, 10, 20), round(2, 30, 40))),
                new Phase("celebrity", 4, List.of(round(4, 10, 20, 30, 40), round(4, 50, 60, 70, 80)))));
    }

    /**
     * 10 posts every 200 ms (one failed), the kill at 900 ms; 4 sockets, two per instance. The sockets of
     * :18097 (on the killed node 2) get nothing of the posts sent after the kill until post 8; those of :18098
     * get everything 50 ms after the answer.
     */
    static NodeKillRun nodeKill() {
        List<StreamPost> posts = RealtimeDeliveryTest.posts(10, 6);
        List<SocketFrames> sockets = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            int port = s % 2 == 0 ? 18097 : 18098;
            List<Integer> p = new ArrayList<>();
            List<Double> at = new ArrayList<>();
            for (int i = 0; i < posts.size(); i++) {
                if (i == 6 || (port == 18097 && i >= 4 && i < 8)) {
                    continue;
                }
                p.add(i);
                at.add(posts.get(i).answeredMs() + 50);
            }
            sockets.add(new SocketFrames(port, p.stream().mapToInt(Integer::intValue).toArray(),
                    at.stream().mapToDouble(Double::doubleValue).toArray(), -1));
        }
        return new NodeKillRun(2, Map.of(18097, "2", 18098, "1"), List.of(18097, 18098), 18098, 200, "./socnet rabbitmq kill 2", 0,
                700, 900, 1300, 1820, 1.5, posts, sockets);
    }

    static List<InstancesRun> instances() {
        return List.of(
                new InstancesRun(List.of(18097, 18098), 4, 3, 2.0, List.of(round(4, 10, 20, 30, 40)), 10,
                        List.of(new InstanceCpu(18097, 1, 5), new InstanceCpu(18098, 2, 4)), 3, 1.9, 2),
                new InstancesRun(List.of(18097, 18098, 18099), 4, 3, 2.5, List.of(round(4, 20, 30, 40, 50)), 10,
                        List.of(new InstanceCpu(18097, 1, 4), new InstanceCpu(18098, 2, 3), new InstanceCpu(18099, 3, -1)), 3, 1.95, 2));
    }

    @Test
    void markdownHasEveryRun() {
        String md = RealtimeReport.markdown(new RealtimeReport.Results("2 CPU cores.", phases(), nodeKill(), instances()));

        assertThat(md).startsWith("Last run: 2 CPU cores.")
                .contains("| ordinary | 2 | 2 | 4 / 4 | 0 | 20 | 40 | 40 | 40 | 40 | 10 |")
                .contains("- celebrity: 4/4 20/40; 4/4 60/80")
                .contains("Node 2 killed (`./socnet rabbitmq kill 2`, exit 0) 0.9 s into a stream of 10 posts (9 created)")
                .contains("one every 200 ms by the ordinary author through :18098, to 4 online followers spread over 2 bench "
                        + "instances (:18097 on node 2, :18098 on node 1).")
                // posts 0–4 sent before 900 ms (5 × 4 frames); after: 5, 7, 8, 9 (6 failed), :18097 missed 5 and 7
                .contains("| sent before the kill | 5 | 18 / 20 | 2 | 0 | 50 | 50 | 50 |")
                .contains("| sent after the kill | 4 | 12 / 16 | 4 | 0 | 50 | 50 | 50 |")
                .contains("| all | 9 | 30 / 36 | 6 | 0 |")
                // :18097: frames of posts 0–3 (answered 20–620 ms, +50) then 8 (answered 1620 ms, +50): gap 670 → 1670
                .contains("| :18097 | 2 (killed) | 2 | 12 / 18 | 0 | 1,000 / 1,000 | 770 / 770 | 770 / 770 | 0 | 0 |")
                .contains("| :18098 | 1 | 2 | 18 / 18 | 0 |")
                .contains("Creates that failed: +0.3 s (HTTP 503).")
                .contains("-0.9 4/4 50/50; -0.7 4/4 50/50;").contains("-0.1 2/4 50/50; +0.1 2/4 50/50;")
                .contains("### 2 vs 3 instances")
                .contains("a third JVM competes for the same 2 cores")
                .contains("| 2 | 4 | 1 | 4 / 4 | 0 | 20 | 40 | 40 | 40 | 10 | 2.0 | 0.50 + 0.40 = 0.90 | 0.30 | 1.90 |")
                .contains("| 3 | 4 | 1 | 4 / 4 | 0 | 30 | 50 | 50 | 50 | 10 | 2.5 | 0.40 + 0.30 + – | 0.30 | 1.95 |")
                .contains("![2 vs 3 instances](realtime-instances.png)")
                .doesNotContain("NaN");
    }

    @Test
    void runsRoundTripThroughJsonAndTheReportWritesItsSectionAndCharts(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results");
        RealtimeRuns.write(results.resolve("phases.json"), phases());
        RealtimeRuns.write(results.resolve("node-kill.json"), nodeKill());
        RealtimeRuns.write(results.resolve("instances-2.json"), instances().get(0));
        RealtimeRuns.write(results.resolve("instances-3.json"), instances().get(1));
        Path docs = dir.resolve("docs");
        Files.createDirectories(docs);
        Files.writeString(docs.resolve("realtime.md"), "# Benchmark\n\nMethod, by hand.\n\n## Results\n\n"
                + GeneratedMarkdownSection.BEGIN_MARKER + "\nold\n" + GeneratedMarkdownSection.END_MARKER + "\n");

        RealtimeReport.main(new String[] {"--results=" + results, "--docs=" + docs, "--environment=2 CPU cores."});

        String md = Files.readString(docs.resolve("realtime.md"));
        assertThat(md).startsWith("# Benchmark\n\nMethod, by hand.").doesNotContain("\nold\n")
                .contains(RealtimeReport.markdown(new RealtimeReport.Results("2 CPU cores.", phases(), nodeKill(), instances())).strip());
        assertThat(RealtimeRuns.read(results.resolve("node-kill.json"), NodeKillRun.class).instanceNodes()).containsEntry(18097, "2");
        for (String png : List.of("realtime-latency.png", "realtime-rounds.png", "realtime-node-kill.png",
                "realtime-node-kill-delivered.png", "realtime-instances.png")) {
            assertThat(docs.resolve(png)).as(png).isNotEmptyFile();
        }
    }

    @Test
    void onlyTheRunsThatTookPlaceAreReported() {
        String md = RealtimeReport.markdown(new RealtimeReport.Results("x", phases(), null, List.of()));

        assertThat(md).contains("### Ordinary author and celebrity").doesNotContain("node killed").doesNotContain("instances\n");
    }
}
