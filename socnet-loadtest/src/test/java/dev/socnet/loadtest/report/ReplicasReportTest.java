package dev.socnet.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicasReportTest {

    @TempDir
    Path dir;

    /** pgbench -l lines: client, transaction, latency µs, script, epoch s, µs. */
    private void pgbenchLog(String variant, long... micros) throws Exception {
        Files.createDirectories(dir.resolve(variant));
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < micros.length; i++) {
            log.append("0 ").append(i).append(' ').append(micros[i]).append(" 0 1796222800 ").append(i).append('\n');
        }
        Files.writeString(dir.resolve(variant).resolve("pgbench_log.1234"), log);
        Files.writeString(dir.resolve(variant + ".tps"), "812.5\n");
    }

    @Test
    void writeLatencyPercentilesComeFromEveryLoggedTransaction() throws Exception {
        long[] micros = new long[100];
        for (int i = 0; i < 100; i++) {
            micros[i] = 1000L * (i + 1);   // 1 ms .. 100 ms
        }
        pgbenchLog("sync", micros);

        ReplicasReport.WriteRun run = ReplicasReport.writeRun(dir, "sync");

        assertThat(run.transactions()).isEqualTo(100);
        assertThat(run.tps()).isEqualTo(812.5);
        assertThat(run.p50Ms()).isCloseTo(50, org.assertj.core.data.Offset.offset(0.1));
        assertThat(run.p99Ms()).isCloseTo(99, org.assertj.core.data.Offset.offset(0.1));
    }

    @Test
    void markdownShowsWhereStatementsRanPerNodeAndWhatQuorumCommitCosts() {
        GatlingRunStats stats = new GatlingRunStats("", 6000, 6000, 0, 100, 5, 20, 40, 80, 120, 7);
        ServerSummary onReplicas = ServerSummary.of(ServerSummaryTest.metrics());
        List<ReplicasReport.ReadRun> reads = List.of(new ReplicasReport.ReadRun("primary-only", stats, null),
                new ReplicasReport.ReadRun("replicas", stats, onReplicas));
        List<ReplicasReport.WriteRun> writes = List.of(new ReplicasReport.WriteRun("sync", 1000, 500, 2.5, 4, 6),
                new ReplicasReport.WriteRun("async", 2000, 1000, 1.0, 2, 3));

        String md = ReplicasReport.markdown(reads, writes, "50", "60", true);

        assertThat(md).contains("| primary-only | 100 | 5 | 20 | 40 | 0 | – |")
                .contains("| replicas | 100 | 5 | 20 | 40 | 0 | 80.0 % |")
                .contains("| replicas | replica1 | replica | 800 |")
                .contains("| replicas | app bench-feed | 0.60 |")
                .contains("Quorum commit costs 1.50 ms at p50 (×2.5) and 3.00 ms at p99")
                .contains("![statements per node over time](replicas-server-statements.png)")
                .doesNotContain("{{");
    }
}
