package dev.socnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;

import dev.socnet.feed.SocialApi;
import dev.socnet.feed.SocialApi.Account;
import tools.jackson.databind.JsonNode;

/**
 * The cluster is observable (issue 14, docs/observability.md): the Prometheus that {@code ./socnet up}
 * and {@code ./socnet test} run scrapes every target its generated configuration names — both app
 * instances, the dialogs service, every PostgreSQL node of the main formation and of the dialog
 * cluster (one exporter each; as many dialog workers as Citus has registered), Redis, RabbitMQ,
 * HAProxy, the host and itself — and each is up; the PostgreSQL and Redis exporters reach their
 * servers ({@code pg_up}, {@code redis_up}). And the application's domain series move as the API is
 * used, seen through Prometheus' HTTP API: request counts per endpoint, feed reads, live-feed
 * connections.
 *
 * <p>The app instances of {@code ./socnet up} (management ports {@code SOCNET_APP_MANAGEMENT_PORTS}) may
 * not run under {@code ./socnet test}: for each that does not answer, the test runs a stand-in instance
 * on its ports in this JVM (the same application, on the test database) while it runs. The domain
 * series are those of this test's own instance (random ports, the test database), which it announces
 * to Prometheus through the file-based discovery of job {@code socnet-app} (label {@code node="test"})
 * and withdraws afterwards.
 */
@IntegrationTest
class ObservabilitySystemIT {

    /** Longest wait for Prometheus to see a change: discovery and two scrape intervals, with room. */
    static final Duration SETTLE = Duration.ofSeconds(60);

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final String PROMETHEUS = PrometheusApi.URL;

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    final List<ConfigurableApplicationContext> standIns = new ArrayList<>();
    Path announcement;

    @BeforeEach
    void announce() throws IOException {
        announcement = Path.of(fileDiscoveryPrefix() + "test-" + ProcessHandle.current().pid() + ".json");
        Files.writeString(announcement, """
                [{"targets": ["127.0.0.1:%d"], "labels": {"node": "test"}}]
                """.formatted(managementPort));
    }

    @AfterEach
    void withdraw() throws IOException {
        Files.deleteIfExists(announcement);
        standIns.forEach(ConfigurableApplicationContext::close);
        standIns.clear();
    }

    /** A stand-in instance in this JVM on the ports of each of ./socnet up's instances that is not running. */
    private void standInForMissingInstances() {
        String[] instancePorts = env("SOCNET_APP_INSTANCE_PORTS", "18081 18082").trim().split("\\s+");
        String[] managementPorts = env("SOCNET_APP_MANAGEMENT_PORTS", "19081 19082").trim().split("\\s+");
        for (int i = 0; i < runningInstances(); i++) {
            if (!listening(Integer.parseInt(managementPorts[i]))) {
                System.out.printf("[observability] app%d is not running: a stand-in on :%s, management :%s%n",
                        i + 1, instancePorts[i], managementPorts[i]);
                standIns.add(new SpringApplicationBuilder(SocnetApplication.class).run(
                        "--server.port=" + instancePorts[i],
                        "--management.server.port=" + managementPorts[i],
                        "--socnet.auth.jwt-secret=integration-tests-secret-at-least-32-bytes-long"));
            }
        }
    }

    @Test
    void everyScrapeTargetIsUpAndReachesItsServer() {
        standInForMissingInstances();
        Map<String, String> problems = settle(() -> {
            Map<String, String> p = new TreeMap<>();
            Map<String, JsonNode> targets = activeTargets();
            for (String expected : expectedTargets()) {
                if (!targets.containsKey(expected)) {
                    p.put(expected, "missing from Prometheus' targets");
                }
            }
            targets.forEach((key, t) -> {
                if (!"up".equals(t.path("health").asString())) {
                    p.put(key, t.path("health").asString() + ": " + t.path("lastError").asString());
                }
            });
            for (JsonNode r : query("pg_up != 1 or redis_up != 1")) {
                p.put(r.path("metric").path("job").asString() + "/" + r.path("metric").path("node").asString(),
                        "its exporter cannot reach the server");
            }
            // the process exporter finds each node of the main formation (its postmaster and backends)
            for (String node : List.of("primary", "replica1", "replica2")) {
                if (query("namedprocess_namegroup_num_procs{groupname=\"postgresql-main-" + node + "\"} > 0").isEmpty()) {
                    p.put("process/postgresql-main-" + node, "no processes of the node in the process exporter's groups");
                }
            }
            return p;
        });
        System.out.println("[observability] targets: " + activeTargets().keySet());
        assertThat(problems).as("scrape targets that are missing or down").isEmpty();
    }

    @Test
    void domainSeriesMoveWithTheApi() throws Exception {
        SocialApi social = new SocialApi(new ApiClient(port));
        Account author = social.register("Метрика");
        Account reader = social.register("Читатель");
        social.follow(reader, author);
        // the instance has been scraped before the requests below (the series exist, with their values)
        settle(() -> query("up{job=\"socnet-app\", node=\"test\"} == 1").isEmpty() ? Map.of("test", "not scraped yet") : Map.of());
        double posts = value("sum(http_server_requests_seconds_count{node=\"test\", uri=\"/post/create\"})");
        double feedReads = value("sum(socnet_feed_reads_total{node=\"test\"})");
        double connections = value("sum(socnet_realtime_connections{node=\"test\"})");
        double dialogRequests = value(DIALOG_REQUESTS);
        double fanOuts = value(FAN_OUT_LAG);

        social.post(author, "Наблюдаемость");
        social.feed(reader, "?offset=0&limit=10");
        var sent = social.http().post("/dialog/" + author.id() + "/send", Map.of("text", "Метрики"), reader.auth());
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        WebSocket live = HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + reader.token())
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/post/feed/posted"), new WebSocket.Listener() { })
                .get(10, TimeUnit.SECONDS);
        try {
            Map<String, String> still = settle(() -> {
                Map<String, String> p = new TreeMap<>();
                moved(p, "http_server_requests_seconds_count{uri=\"/post/create\"}", posts,
                        "sum(http_server_requests_seconds_count{node=\"test\", uri=\"/post/create\"})");
                moved(p, "socnet_feed_reads_total", feedReads, "sum(socnet_feed_reads_total{node=\"test\"})");
                moved(p, "socnet_realtime_connections", connections, "sum(socnet_realtime_connections{node=\"test\"})");
                moved(p, "http_server_requests_seconds_count{job=\"socnet-dialogs\"}", dialogRequests, DIALOG_REQUESTS);
                moved(p, "socnet_feed_fan_out_lag_seconds_count", fanOuts, FAN_OUT_LAG);
                for (String uri : List.of("/post/create", "/dialog/{user_id}/send")) {
                    if (query("http_server_requests_seconds_bucket{node=\"test\", uri=\"" + uri + "\"}").isEmpty()) {
                        p.put("http_server_requests_seconds_bucket " + uri, "no latency histogram");
                    }
                }
                return p;
            });
            assertThat(still).as("series that did not move").isEmpty();
        } finally {
            live.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Posts fanned out into followers' feeds, by any instance of the test database that Prometheus
     * scrapes (the test's own runs the fan-out consumer; Spring pauses other cached contexts).
     */
    static final String FAN_OUT_LAG = "sum(socnet_feed_fan_out_lag_seconds_count{job=\"socnet-app\"})";

    /** Requests the dialogs service served, but Prometheus' own scrapes of it. */
    static final String DIALOG_REQUESTS = "sum(http_server_requests_seconds_count{job=\"socnet-dialogs\", uri!~\"/actuator.*\"})";

    @Test
    void databaseSeriesOfTheApplicationExist() {
        Map<String, String> missing = settle(() -> {
            Map<String, String> p = new TreeMap<>();
            for (String series : List.of("pg_socnet_outbox_publications", "pg_socnet_celebrities",
                    "pg_statements_calls_total", "pg_standby_in_recovery")) {
                if (query("count(" + series + "{cluster=\"main\"}) >= 3").isEmpty()) {
                    p.put(series, "not reported by the three data nodes");
                }
            }
            if (query("pg_citus_workers_registered{node=\"coordinator\"}").isEmpty()) {
                p.put("pg_citus_workers_registered", "not reported by the coordinator");
            }
            return p;
        });
        assertThat(missing).as("series of the PostgreSQL exporters' extra queries").isEmpty();
    }

    /**
     * The rules are live: a target that stops answering (here one announced on a port nobody listens
     * on) makes {@code TargetDown} fire, not before its {@code for: 30s} and within a minute of it.
     */
    @Test
    void aTargetThatDoesNotAnswerFiresTargetDownAfterItsForWindow() throws Exception {
        int nobody;
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = s.getLocalPort();
        }
        Path ghost = Path.of(fileDiscoveryPrefix() + "ghost-" + ProcessHandle.current().pid() + ".json");
        String firing = "ALERTS{alertname=\"TargetDown\", node=\"ghost\", alertstate=\"firing\"}";
        long start = System.nanoTime();
        Files.writeString(ghost, """
                [{"targets": ["127.0.0.1:%d"], "labels": {"node": "ghost"}}]
                """.formatted(nobody));
        try {
            Awaitility.await("TargetDown firing for the ghost target").atMost(Duration.ofSeconds(100))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> !query(firing).isEmpty());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            System.out.printf("[observability] TargetDown fired for the ghost target after %d s%n", took.toSeconds());
            assertThat(query(firing)).as("TargetDown firing for the ghost target within 100 s").isNotEmpty();
            assertThat(took).as("not before its for: 30s").isGreaterThanOrEqualTo(Duration.ofSeconds(30));
        } finally {
            Files.deleteIfExists(ghost);
        }
    }

    @Test
    void everyConsolePageRenders() throws Exception {
        for (String page : List.of("index", "search", "replication", "feed", "realtime", "dialogs")) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(PROMETHEUS + "/consoles/" + page + ".html"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("console %s.html: %s", page, r.body()).isEqualTo(200);
            assertThat(r.body()).as("console %s.html", page).contains("PromConsole.Graph").doesNotContain("error executing template");
        }
    }

    private static void moved(Map<String, String> problems, String name, double before, String promql) {
        double now = value(promql);
        if (!(now > before)) {
            problems.put(name, "still " + now + " (was " + before + ")");
        }
    }

    /**
     * How many of the pool's instances ({@code SOCNET_APP_INSTANCE_PORTS}) {@code ./socnet} runs: the
     * count {@code ./socnet test} exports ({@code SOCNET_APP_INSTANCES}, the last {@code app scale}'s).
     */
    private static int runningInstances() {
        return Integer.parseInt(env("SOCNET_APP_INSTANCES", "2").strip());
    }

    /** What the generated configuration must scrape, as job/node. */
    private static TreeSet<String> expectedTargets() {
        TreeSet<String> expected = new TreeSet<>(List.of("prometheus/prometheus", "node/host", "socnet-app/test",
                "socnet-dialogs/dialogs", "postgres/primary", "postgres/replica1", "postgres/replica2",
                "postgres/monitor", "postgres/coordinator", "redis/redis", "haproxy/haproxy",
                "process/host"));
        // every node of the RabbitMQ cluster
        int rabbitNodes = env("SOCNET_RABBITMQ_PROMETHEUS_PORTS", "19102").trim().split("\\s+").length;
        for (int i = 1; i <= rabbitNodes; i++) {
            expected.add("rabbitmq/rabbitmq" + i);
        }
        for (int i = 1; i <= runningInstances(); i++) {
            expected.add("socnet-app/app" + i);
        }
        // as many worker exporters as Citus has workers (at least the two the cluster is created with)
        int workers = (int) Math.max(2, value("max(pg_citus_workers_registered{node=\"coordinator\"})"));
        for (int w = 1; w <= workers; w++) {
            expected.add("postgres/worker" + w);
        }
        return expected;
    }

    /** Polls {@code check} until it reports nothing or {@link #SETTLE} has passed; its last report. */
    private static Map<String, String> settle(Supplier<Map<String, String>> check) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        Map<String, String> last;
        while (!(last = check.get()).isEmpty() && System.nanoTime() < deadline) {
            sleep(Duration.ofSeconds(1));
        }
        return last;
    }

    /** Active targets by job/node (node: the label the configuration gives each target). */
    private static Map<String, JsonNode> activeTargets() {
        Map<String, JsonNode> targets = new TreeMap<>();
        for (JsonNode t : api("/api/v1/targets?state=active").path("data").path("activeTargets")) {
            JsonNode labels = t.path("labels");
            targets.put(labels.path("job").asString() + "/" + labels.path("node").asString(labels.path("instance").asString()), t);
        }
        return targets;
    }

    private static JsonNode query(String promql) {
        return PrometheusApi.query(promql);
    }

    /** The single value of an instant query; 0 when it has no result. */
    private static double value(String promql) {
        JsonNode result = query(promql);
        return result.isEmpty() ? 0 : Double.parseDouble(result.get(0).path("value").get(1).asString());
    }

    private static JsonNode api(String path) {
        return PrometheusApi.get(path);
    }

    /**
     * Where job socnet-app's file-based discovery looks, from the running Prometheus' own configuration:
     * the path up to {@code *.json}.
     */
    private static String fileDiscoveryPrefix() {
        String yaml = api("/api/v1/status/config").path("data").path("yaml").asString();
        Matcher m = Pattern.compile("(/\\S*/socnet-app-)\\*\\.json").matcher(yaml);
        assertThat(m.find()).as("job socnet-app's file_sd_configs in Prometheus' configuration").isTrue();
        return m.group(1);
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String env(String name, String fallback) {
        return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank()).orElse(fallback);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
