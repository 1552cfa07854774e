package dev.socnet.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServerSummaryTest {

    static ServerMetrics.ServerSeries series(String figure, String name, double... values) {
        List<PrometheusClient.Sample> samples = new java.util.ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            samples.add(new PrometheusClient.Sample(1000 + 5 * i, values[i]));
        }
        return new ServerMetrics.ServerSeries(figure, "unit", name, samples);
    }

    static ServerMetrics metrics() {
        return new ServerMetrics(1000, 1060, 5, List.of(
                series(ServerQuery.CPU, "app bench-feed", 0.5, 0.7, Double.NaN),
                series(ServerQuery.CPU, "postgresql primary", 0.2, 0.2),
                series(ServerQuery.CPU, "postgresql replica1", 0.1, 0.3),
                series(ServerQuery.CPU, "redis", 0.05, 0.05),
                series(ServerQuery.STATEMENTS, "primary", 100, 300),
                series(ServerQuery.STATEMENTS, "replica1", 600, 1000),
                series(ServerQuery.IN_RECOVERY, "primary", 0, 0),
                series(ServerQuery.IN_RECOVERY, "replica1", 1, 1),
                series(ServerQuery.CACHE_HIT_RATIO, "from Redis", 0.9, 1.0),
                series(ServerQuery.FAN_OUT_LAG, "p50", 0.01, 0.02),
                series(ServerQuery.FAN_OUT_LAG, "p99", 0.2, 0.4, 0.3)));
    }

    @Test
    void meansOverTheWindowIgnoringStepsWithoutAValue() {
        ServerSummary s = ServerSummary.of(metrics());

        assertThat(s.cpuCores()).containsEntry("app bench-feed", 0.6).containsEntry("redis", 0.05);
        assertThat(s.cpuOf("postgresql ")).isEqualTo(0.4, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s.statementsPerS()).containsEntry("primary", 200.0).containsEntry("replica1", 800.0);
        assertThat(s.cacheHitRatio()).isEqualTo(0.95);
        assertThat(s.fanOutLagP99S()).as("the worst p99 of the window").isEqualTo(0.4);
    }

    @Test
    void rolesComeFromTheLastInRecoverySampleAndGiveTheReplicasShare() {
        ServerSummary s = ServerSummary.of(metrics());

        assertThat(s.roles()).containsEntry("primary", "primary").containsEntry("replica1", "replica");
        assertThat(s.replicaStatementShare()).isEqualTo(0.8);
    }

    @Test
    void aRunWithoutDataHasNoFigures() {
        ServerSummary s = ServerSummary.of(new ServerMetrics(1000, 1060, 5, List.of()));

        assertThat(s.cpuCores()).isEmpty();
        assertThat(s.cacheHitRatio()).isNull();
        assertThat(s.fanOutLagP99S()).isNull();
        assertThat(s.replicaStatementShare()).isNaN();
    }
}
