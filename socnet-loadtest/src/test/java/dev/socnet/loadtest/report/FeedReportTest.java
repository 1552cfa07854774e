package dev.socnet.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FeedReportTest {

    static FeedReport.Run run(String kind, String variant, int users, double rps, Double p99, ServerSummary server) {
        return new FeedReport.Run(kind, variant, users, rps, 2.0, 5.0, p99, 40.0, 1000, 0, server, "runs/" + variant);
    }

    static FanOutProbe.FanOutResult fanOut() {
        return new FanOutProbe.FanOutResult(10000, 3, List.of(300.0, 350.0, 2500.0), List.of(8.0, 9.0, 10.0), 12.5);
    }

    @Test
    void targetsCompareTheRunsAndTheFanOut() {
        List<FeedReport.Run> runs = List.of(run("read", "cached", 100, 6000, 30.0, null),
                run("read", "uncached", 100, 1000, 160.0, null),
                run("create", "ordinary", 10, 400, 90.0, null), run("create", "celebrity", 10, 500, 200.0, null));

        List<FeedReport.Target> targets = FeedReport.targets(runs, fanOut());

        assertThat(targets).extracting(FeedReport.Target::met).containsExactly(true, false, false);
        assertThat(targets.get(0).measured()).isEqualTo(6.0);
        assertThat(targets.get(1).measured()).as("200 / 90").isGreaterThan(2.2);
        assertThat(targets.get(2).measured()).isEqualTo(2500.0);
    }

    @Test
    void markdownHasTheRunsTheTargetsAndTheServerSideFromPrometheus() {
        ServerSummary cached = ServerSummary.of(ServerSummaryTest.metrics());
        List<FeedReport.Run> runs = List.of(run("read", "cached", 100, 6000, 30.0, cached),
                run("read", "uncached", 100, 1000, 160.0, null),
                run("create", "ordinary", 10, 400, 90.0, null), run("create", "celebrity", 10, 500, 200.0, null));
        FeedReport.Benchmark b = new FeedReport.Benchmark("2026-12-02T15:00:00Z", 60, 0, "2 cores.", "1000 users.", "",
                runs, fanOut(), FeedReport.targets(runs, fanOut()));

        String md = FeedReport.markdown(b);

        assertThat(md).contains("Last run: 2026-12-02T15:00:00Z, 60 s per load run. 2 cores.")
                .contains("Data: 1000 users.")
                .contains("| cached / uncached feed throughput at 100 users | 6.00 | ≥ 5 | met |")
                .contains("| slowest fan-out to 10000 cached feeds, ms | 2500.00 | ≤ 2000 | **not met** |")
                .contains("| cached | 100 | 6000.0 | 2 | 5 | 30 | 40 | 1000 | 0 |")
                // 0.6 cores of the app at 6000 req/s: 0.1 ms per read; PostgreSQL 0.4 cores: 0.067 ms
                .contains("| cached | 100 | 0.100 | 0.067 | 0.008 | – |")
                .contains("95.0 %")
                .contains("primary (primary) 200, replica1 (replica) 800")
                .contains("![CPU per component over time](feed-server-cpu.png)")
                .contains("3 posts; time from sending the create until every follower's cached feed held the post: min 300 ms,"
                        + " median 350 ms, max 2500 ms")
                .doesNotContain("Deep pages").doesNotContain("{{").doesNotContain("&quot;");
        assertThat(md.lines().filter(l -> l.startsWith("| uncached | 100 | –"))).as("no server row without figures").isEmpty();
    }

    @Test
    void withoutPrometheusFiguresThereIsNoServerSection() {
        List<FeedReport.Run> runs = List.of(run("read", "cached", 100, 6000, 30.0, null));
        String md = FeedReport.markdown(new FeedReport.Benchmark("t", 60, 0, "", "", "", runs, fanOut(),
                FeedReport.targets(runs, fanOut())));

        assertThat(md).doesNotContain("Prometheus").doesNotContain("feed-server-cpu.png").doesNotContain("Data:");
    }
}
