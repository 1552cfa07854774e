package dev.socnet.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GatlingRunStats} against a report of the Gatling on the classpath: a real run of
 * {@link PingSimulation} (a forked JVM, {@code io.gatling.app.Gatling}, the module's test classpath and
 * gatling.conf) against an HTTP server of the test's own on loopback. Gatling 3.15 writes its statistics
 * only into the HTML page (decision 0017), so a Gatling upgrade that changes the page fails here, under
 * {@code ./mvnw test}, rather than in a bench run.
 */
class GatlingRunStatsTest {

    static final String DESCRIPTION = "report unit test";

    @TempDir
    static Path results;

    static GatlingRunStats stats;

    @BeforeAll
    static void runPingSimulation() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            int status = exchange.getRequestURI().getPath().equals("/fail") ? 500 : 200;
            byte[] body = "pong".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            Path log = results.resolve("gatling.log");
            Process gatling = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "-DpingBaseUrl=http://127.0.0.1:" + server.getAddress().getPort(),
                    "-cp", System.getProperty("java.class.path"),
                    "io.gatling.app.Gatling",
                    "-s", PingSimulation.class.getName(),
                    "-rf", results.toString(),
                    "-rd", DESCRIPTION))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean ended = gatling.waitFor(180, TimeUnit.SECONDS);
            if (!ended) {
                gatling.destroyForcibly();
            }
            // 0: every assertion held; 2: one failed (the simulation has none)
            assertThat(ended && gatling.exitValue() == 0).as("Gatling run; its output:%n%s", Files.readString(log)).isTrue();
        } finally {
            server.stop(0);
        }
        stats = GatlingRunStats.read(reportDir());
    }

    @Test
    void countsEveryRequestAndTheFailedOnes() {
        int requests = PingSimulation.USERS * (PingSimulation.OKS_PER_USER + 1);
        assertThat(stats.requests()).isEqualTo(requests);
        assertThat(stats.ok()).isEqualTo(PingSimulation.USERS * PingSimulation.OKS_PER_USER);
        assertThat(stats.ko()).isEqualTo(PingSimulation.USERS);
        assertThat(stats.description()).isEqualTo(DESCRIPTION);
    }

    @Test
    void readsTheConfiguredPercentilesInOrder() {
        assertThat(List.of(stats.p50Ms(), stats.p95Ms(), stats.p99Ms(), stats.p999Ms(), stats.maxMs()))
                .doesNotContain(Double.NaN).isSorted();
        assertThat(stats.meanMs()).isBetween(0.0, stats.maxMs());
    }

    @Test
    void readsTheThroughputAndTheOkShareOfIt() {
        assertThat(stats.requestsPerS()).isPositive();
        assertThat(stats.okPerS()).isCloseTo(stats.requestsPerS() * 3 / 4, org.assertj.core.data.Offset.offset(1e-9));
    }

    /** The run's report: the one directory Gatling made in the results folder. */
    private static Path reportDir() throws IOException {
        try (Stream<Path> dirs = Files.list(results)) {
            List<Path> reports = dirs.filter(Files::isDirectory).toList();
            assertThat(reports).as("report directories in %s", results).hasSize(1);
            return reports.getFirst();
        }
    }
}
