package dev.socnet.loadtest.report;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

import org.knowm.xchart.CategoryChart;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live feed benchmark's load generator and report ({@code ./socnet bench realtime}): opens WebSocket
 * connections of followers to {@code /post/feed/posted} (JDK {@link WebSocket}, {@code Authorization:
 * Bearer}), spread round robin over the app instances' own ports, then has an author post
 * {@code --rounds} times and measures, per post, how long each follower's frame took.
 *
 * <p>Latency of a frame: from the moment the {@code POST /post/create} answer arrived to the moment the
 * frame was received, in ms (the definition); a frame that beat the answer counts 0 ms. Also
 * the time from sending the request (an upper bound including the create itself).
 *
 * <p>Arguments: {@code --ports="18097 18098"}, {@code --create-url=http://127.0.0.1:18097},
 * {@code --followers=FILE} (CSV {@code user_id,token}), {@code --phases="ordinary:1000 celebrity:10000"}
 * (author label and how many of the followers, from the top of the file, are connected for it),
 * {@code --tokens=FILE} (CSV {@code label,token} of the authors), {@code --rounds=N},
 * {@code --pause-ms=N} between posts, {@code --docs=DIR}, {@code --environment=TEXT}.
 */
public final class RealtimeProbe {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Connections opened at the same time while connecting (the server's accept backlog is 100). */
    private static final int CONCURRENT_HANDSHAKES = 64;
    /** HTTP clients (each one selector thread) that the connections are spread over. */
    private static final int CLIENTS = 8;
    /** How long a round waits for its last frames. */
    private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(20);

    private final List<HttpClient> clients = new ArrayList<>();
    /** post id → receive times (System.nanoTime) of its frames. */
    private final Map<String, ConcurrentLinkedQueue<Long>> received = new ConcurrentHashMap<>();
    private final List<WebSocket> sockets = new ArrayList<>();

    private RealtimeProbe() {
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
        }
    }

    /** The measured rounds of one author. */
    record Phase(String label, int followers, List<Round> rounds) {
    }

    /** One post: frames received of expected, latencies (ms) after the answer and after the request. */
    record Round(String postId, int expected, int delivered, int duplicates, double createMs, double[] afterAnswerMs,
            double[] afterRequestMs) {
    }

    public static void main(String[] args) throws Exception {
        MainArguments arguments = MainArguments.parse(args);
        List<Integer> ports = Arrays.stream(arguments.require("ports").trim().split("\\s+")).map(Integer::parseInt).toList();
        List<String[]> followers = Files.readAllLines(arguments.requirePath("followers")).stream()
                .filter(l -> !l.isBlank()).map(l -> l.split(",")).toList();
        Map<String, String> tokens = new java.util.HashMap<>();
        Files.readAllLines(arguments.requirePath("tokens")).stream().filter(l -> !l.isBlank())
                .map(l -> l.split(",")).forEach(p -> tokens.put(p[0], p[1]));
        int rounds = Integer.parseInt(arguments.require("rounds"));
        long pauseMs = Long.parseLong(arguments.require("pause-ms"));
        URI create = URI.create(arguments.require("create-url") + "/post/create");

        RealtimeProbe probe = new RealtimeProbe();
        List<Phase> phases = new ArrayList<>();
        int connected = 0;
        for (String spec : arguments.require("phases").trim().split("\\s+")) {
            String label = spec.split(":")[0];
            int wanted = Integer.parseInt(spec.split(":")[1]);
            long started = System.nanoTime();
            probe.connect(followers.subList(connected, wanted), ports, connected);
            connected = wanted;
            System.out.printf("%s: %d connections open (%.1f s to connect)%n", label, connected,
                    (System.nanoTime() - started) / 1e9);
            probe.awaitRegistered(ports, connected);
            List<Round> measured = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                Round round = probe.round(create, tokens.get(label), connected, label + " " + (r + 1));
                measured.add(round);
                System.out.printf("%s post %d: %d/%d delivered, %d duplicates, p50 %.0f ms, p99 %.0f ms%n", label, r + 1,
                        round.delivered(), round.expected(), round.duplicates(), percentile(round.afterAnswerMs(), 50),
                        percentile(round.afterAnswerMs(), 99));
                Thread.sleep(pauseMs);
            }
            phases.add(new Phase(label, connected, measured));
        }
        probe.sockets.forEach(WebSocket::abort);
        report(phases, ports, rounds, arguments.requirePath("docs"), arguments.require("environment"));
    }

    private void connect(List<String[]> followers, List<Integer> ports, int offset) throws InterruptedException {
        Semaphore handshakes = new Semaphore(CONCURRENT_HANDSHAKES);
        List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
        for (int i = 0; i < followers.size(); i++) {
            int n = offset + i;
            URI uri = URI.create("ws://127.0.0.1:" + ports.get(n % ports.size()) + "/post/feed/posted");
            handshakes.acquire();
            opening.add(clients.get(n % CLIENTS).newWebSocketBuilder()
                    .header("Authorization", "Bearer " + followers.get(i)[1])
                    .buildAsync(uri, new Frames())
                    .whenComplete((ws, e) -> handshakes.release()));
        }
        for (CompletableFuture<WebSocket> f : opening) {
            sockets.add(f.join());
        }
    }

    /**
     * Waits (at most 60 s) until the instances report {@code expected} open live feed connections in
     * all ({@code socnet.realtime.connections}): a handshake completes before the instance has bound the
     * follower's routing keys, and a post in between would not reach them.
     */
    private void awaitRegistered(List<Integer> ports, int expected) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        double registered = 0;
        while (System.nanoTime() < deadline) {
            registered = 0;
            for (int port : ports) {
                HttpResponse<String> metric = clients.getFirst().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/metrics/socnet.realtime.connections")).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                registered += JSON.readTree(metric.body()).path("measurements").get(0).path("value").asDouble();
            }
            if (registered >= expected) {
                return;
            }
            Thread.sleep(100);
        }
        System.out.printf("only %.0f of %d connections registered after 60 s; measuring anyway%n", registered, expected);
    }

    private Round round(URI create, String token, int expected, String text) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(create).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("text", "live feed bench: " + text))))
                .build();
        long sent = System.nanoTime();
        HttpResponse<String> response = clients.getFirst().send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        long answered = System.nanoTime();
        if (response.statusCode() != 200) {
            throw new IllegalStateException("POST /post/create answered " + response.statusCode() + ": " + response.body());
        }
        String postId = JSON.readTree(response.body()).asString();
        ConcurrentLinkedQueue<Long> times = received.computeIfAbsent(postId, k -> new ConcurrentLinkedQueue<>());
        long deadline = answered + ROUND_TIMEOUT.toNanos();
        while (times.size() < expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(200); // late duplicates, if any, would show up here
        long[] at = times.stream().mapToLong(Long::longValue).sorted().toArray();
        double[] afterAnswer = Arrays.stream(at).mapToDouble(t -> Math.max(0, t - answered) / 1e6).toArray();
        double[] afterRequest = Arrays.stream(at).mapToDouble(t -> (t - sent) / 1e6).toArray();
        int delivered = Math.min(at.length, expected);
        return new Round(postId, expected, delivered, Math.max(0, at.length - expected), (answered - sent) / 1e6,
                afterAnswer, afterRequest);
    }

    /** Collects each frame's receive time under its post id. */
    private final class Frames implements WebSocket.Listener {

        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            long now = System.nanoTime();
            partial.append(data);
            if (last) {
                JsonNode frame = JSON.readTree(partial.toString());
                partial.setLength(0);
                received.computeIfAbsent(frame.path("postId").asString(), k -> new ConcurrentLinkedQueue<>()).add(now);
            }
            ws.request(1);
            return null;
        }
    }

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

    private static void report(List<Phase> phases, List<Integer> ports, int rounds, Path docs, String environment)
            throws IOException {
        Files.createDirectories(docs);
        StringBuilder md = new StringBuilder("""
                # Benchmark: live feed over WebSocket

                Generated by `./socnet bench realtime` (scripts/bench/realtime.sh, load generator
                `socnet-loadtest/.../report/RealtimeProbe.java`); do not edit by hand. Mechanism: docs/realtime.md.

                """);
        md.append("Setup: two app instances started by the benchmark from the current jar (ports ")
                .append(ports).append("), the followers' WebSocket connections spread round robin over them, ")
                .append("**straight to the instance ports, not through HAProxy** (its `maxconn` is 9000 here because ")
                .append("the fd hard limit is 20000, below the 10,000 connections of the celebrity phase). ")
                .append(rounds).append(" posts per author, created through the first instance. Latency: from the ")
                .append("`POST /post/create` answer to the frame's arrival (a frame that beat the answer counts 0 ms); ")
                .append("\"after request\" counts from sending the create request.\n\n").append(environment).append("\n\n");
        md.append("| author | online followers | posts | delivered / expected | duplicates | p50 ms | p95 ms | p99 ms | max ms | p99 after request ms | create p50 ms |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Phase phase : phases) {
            double[] lat = all(phase, true);
            double[] req = all(phase, false);
            int delivered = phase.rounds().stream().mapToInt(Round::delivered).sum();
            int expected = phase.rounds().stream().mapToInt(Round::expected).sum();
            int duplicates = phase.rounds().stream().mapToInt(Round::duplicates).sum();
            double[] creates = phase.rounds().stream().mapToDouble(Round::createMs).sorted().toArray();
            md.append(String.format("| %s | %,d | %d | %,d / %,d | %d | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |%n",
                    phase.label(), phase.followers(), phase.rounds().size(), delivered, expected, duplicates,
                    percentile(lat, 50), percentile(lat, 95), percentile(lat, 99), lat.length == 0 ? Double.NaN : lat[lat.length - 1],
                    percentile(req, 99), percentile(creates, 50)));
        }
        md.append("\nPer post (delivered/expected, p50/p99 ms):\n\n");
        for (Phase phase : phases) {
            md.append("- ").append(phase.label()).append(": ");
            List<String> cells = new ArrayList<>();
            for (Round r : phase.rounds()) {
                cells.add(String.format("%,d/%,d %.0f/%.0f", r.delivered(), r.expected(), percentile(r.afterAnswerMs(), 50),
                        percentile(r.afterAnswerMs(), 99)));
            }
            md.append(String.join("; ", cells)).append('\n');
        }
        md.append("\n![latency percentiles](realtime-latency.png)\n\n![per post p99](realtime-rounds.png)\n");
        Files.writeString(docs.resolve("realtime.md"), md);

        CategoryChart latency = chart("Live feed delivery latency (target p99 < 1000 ms)", "percentile", "ms after the create answer");
        List<String> percentiles = List.of("p50", "p95", "p99", "max");
        for (Phase phase : phases) {
            double[] lat = all(phase, true);
            latency.addSeries(phase.label() + " (" + phase.followers() + " online followers)", percentiles,
                    List.of(percentile(lat, 50), percentile(lat, 95), percentile(lat, 99), lat.length == 0 ? 0 : lat[lat.length - 1]));
        }
        ReportCharts.save(latency, docs.resolve("realtime-latency.png"));
        CategoryChart perRound = chart("p99 per post", "post", "ms after the create answer");
        for (Phase phase : phases) {
            List<String> names = new ArrayList<>();
            List<Double> p99 = new ArrayList<>();
            for (int i = 0; i < phase.rounds().size(); i++) {
                names.add(String.valueOf(i + 1));
                p99.add(percentile(phase.rounds().get(i).afterAnswerMs(), 99));
            }
            perRound.addSeries(phase.label(), names, p99);
        }
        ReportCharts.save(perRound, docs.resolve("realtime-rounds.png"));
        System.out.println(md);
    }

    private static CategoryChart chart(String title, String x, String y) {
        CategoryChart chart = ReportCharts.bars(title, x, y);
        chart.getStyler().setDecimalPattern("#,##0");
        return chart;
    }
}
