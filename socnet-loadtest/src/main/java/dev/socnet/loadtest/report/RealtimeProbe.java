package dev.socnet.loadtest.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import dev.socnet.loadtest.report.RealtimeRuns.InstanceCpu;
import dev.socnet.loadtest.report.RealtimeRuns.InstancesRun;
import dev.socnet.loadtest.report.RealtimeRuns.NodeKillRun;
import dev.socnet.loadtest.report.RealtimeRuns.Phase;
import dev.socnet.loadtest.report.RealtimeRuns.PhasesRun;
import dev.socnet.loadtest.report.RealtimeRuns.Round;
import dev.socnet.loadtest.report.RealtimeRuns.SocketFrames;
import dev.socnet.loadtest.report.RealtimeRuns.StreamPost;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live feed benchmark's load generator ({@code ./socnet bench realtime}): opens WebSocket connections of
 * followers to {@code /post/feed/posted} (JDK {@link WebSocket}, {@code Authorization: Bearer}), spread round
 * robin over the app instances' own ports, has an author post and records when each follower's frame arrived.
 * One run per process, written as JSON ({@link RealtimeRuns}) to {@code --out=FILE}; {@link RealtimeReport}
 * turns the runs into docs/benchmarks/realtime.md. {@code --mode=}:
 *
 * <ul>
 * <li>{@code phases} (default): per {@code --phases} entry, connects up to that many followers (from the top of
 * the file) and has the author of that label post {@code --rounds} times, {@code --pause-ms} apart; each post is
 * timed until every frame arrived (or 20 s);</li>
 * <li>{@code node-kill}: connects {@code --count} followers, has the author {@code --author} post every
 * {@code --post-every-ms} for {@code --stream-s}, runs {@code --kill-command} (through {@code bash -c}) after
 * {@code --kill-after-s}, then waits up to {@code --tail-s} after the last post for late frames; records every
 * socket's frames with their arrival times;</li>
 * <li>{@code instances}: connects {@code --count} followers over all {@code --ports}, has {@code --author} post
 * {@code --warm-up} unmeasured times, then {@code --rounds} measured times as in {@code phases}; with
 * {@code --pids} (the instances' JVMs, in port order) also the CPU seconds each used meanwhile.</li>
 * </ul>
 *
 * <p>Latency of a frame: from the moment the {@code POST /post/create} answer arrived to the moment the
 * frame was received, in ms (the definition); a frame that beat the answer counts 0 ms. Also
 * the time from sending the request (an upper bound including the create itself).
 *
 * <p>Arguments of every mode: {@code --ports="18097 18098"}, {@code --create-url=http://127.0.0.1:18097},
 * {@code --followers=FILE} (CSV {@code user_id,token}), {@code --tokens=FILE} (CSV {@code label,token} of the
 * authors), {@code --out=FILE}. {@code phases}: {@code --phases="ordinary:1000 celebrity:10000"} (author label and
 * how many of the followers are connected for it), {@code --rounds=N}, {@code --pause-ms=N} between posts.
 * {@code node-kill}: {@code --author=ordinary --count=1000 --post-every-ms=200 --stream-s=20 --kill-after-s=5
 * --tail-s=30 --kill-command="./socnet rabbitmq kill 2"}, {@code --kill-marker=SIGKILL} (the kill moment is when
 * a line of the command's output containing it was read, else when the command returned), {@code --node=2} and
 * {@code --instance-nodes="18097:2 18098:1"} (recorded for the report). {@code instances}: {@code --author=celebrity
 * --count=10000 --rounds=N --pause-ms=N --warm-up=3 --pids="PID PID"}.
 */
public final class RealtimeProbe {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** An instance's actuator listens on its port + this (scripts/bench/realtime.sh). */
    private static final int MANAGEMENT_PORT_OFFSET = 1000;
    /** Connections opened at the same time while connecting (the server's accept backlog is 100). */
    private static final int CONCURRENT_HANDSHAKES = 64;
    /** HTTP clients (each one selector thread) that the connections are spread over. */
    private static final int CLIENTS = 8;
    /** How long a round waits for its last frames. */
    private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(20);
    /** How long a run waits for the instances to count the previous run's connections as closed. */
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    private final List<HttpClient> clients = new ArrayList<>();
    /** post id → receive times (System.nanoTime) of its frames. */
    private final Map<String, ConcurrentLinkedQueue<Long>> received = new ConcurrentHashMap<>();
    private final List<WebSocket> sockets = new ArrayList<>();
    /** Per socket, in the order of {@link #sockets}: its listener, which logs its frames. */
    private final List<Frames> listeners = new ArrayList<>();
    /** Sockets the server closed (or that failed) while the run was measuring. */
    private final AtomicInteger closed = new AtomicInteger();
    /** Set before the run's own sockets are aborted at its end: their closing is not the server's doing. */
    private volatile boolean ending;

    private RealtimeProbe() {
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
        }
    }

    public static void main(String[] args) throws Exception {
        MainArguments arguments = MainArguments.parse(args);
        List<Integer> ports = Arrays.stream(arguments.require("ports").trim().split("\\s+")).map(Integer::parseInt).toList();
        List<String[]> followers = Files.readAllLines(arguments.requirePath("followers")).stream()
                .filter(l -> !l.isBlank()).map(l -> l.split(",")).toList();
        Map<String, String> tokens = new HashMap<>();
        Files.readAllLines(arguments.requirePath("tokens")).stream().filter(l -> !l.isBlank())
                .map(l -> l.split(",")).forEach(p -> tokens.put(p[0], p[1]));
        URI create = URI.create(arguments.require("create-url") + "/post/create");

        RealtimeProbe probe = new RealtimeProbe();
        probe.awaitIdle(ports);
        Object run = switch (arguments.stringOr("mode", "phases")) {
            case "phases" -> probe.phases(arguments, ports, followers, tokens, create);
            case "node-kill" -> probe.nodeKill(arguments, ports, followers, tokens, create);
            case "instances" -> probe.instances(arguments, ports, followers, tokens, create);
            default -> throw new IllegalArgumentException("--mode: phases, node-kill or instances");
        };
        probe.ending = true;
        probe.sockets.forEach(WebSocket::abort);
        if (probe.closed.get() > 0) {
            System.out.printf("%d sockets were closed by the server or failed during the run%n", probe.closed.get());
        }
        RealtimeRuns.write(arguments.requirePath("out"), run);
        // the instances count the closed connections within moments; the next run waits for that (awaitIdle)
        System.out.println("written " + arguments.require("out"));
    }

    private PhasesRun phases(MainArguments arguments, List<Integer> ports, List<String[]> followers,
            Map<String, String> tokens, URI create) throws IOException, InterruptedException {
        int rounds = Integer.parseInt(arguments.require("rounds"));
        long pauseMs = Long.parseLong(arguments.require("pause-ms"));
        List<Phase> phases = new ArrayList<>();
        int connected = 0;
        for (String spec : arguments.require("phases").trim().split("\\s+")) {
            String label = spec.split(":")[0];
            int wanted = Integer.parseInt(spec.split(":")[1]);
            long started = System.nanoTime();
            connect(followers.subList(connected, wanted), ports, connected);
            connected = wanted;
            System.out.printf("%s: %d connections open (%.1f s to connect)%n", label, connected,
                    (System.nanoTime() - started) / 1e9);
            awaitRegistered(ports, connected);
            phases.add(new Phase(label, connected, rounds(create, tokens.get(label), connected, label, rounds, pauseMs)));
        }
        return new PhasesRun(ports, rounds, phases);
    }

    private List<Round> rounds(URI create, String token, int expected, String label, int rounds, long pauseMs)
            throws IOException, InterruptedException {
        List<Round> measured = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            Round round = round(create, token, expected, label + " " + (r + 1));
            measured.add(round);
            System.out.printf("%s post %d: %d/%d delivered, %d duplicates, p50 %.0f ms, p99 %.0f ms%n", label, r + 1,
                    round.delivered(), round.expected(), round.duplicates(), RealtimeReport.percentile(round.afterAnswerMs(), 50),
                    RealtimeReport.percentile(round.afterAnswerMs(), 99));
            Thread.sleep(pauseMs);
        }
        return measured;
    }

    /**
     * The node-kill run: a stream of posts with a kill in the middle. The posts are made one at a time from
     * this thread at a fixed cadence (a slow create delays the next, none overlap); the kill command runs on a
     * thread of its own, its output echoed with a {@code kill: } prefix.
     */
    private NodeKillRun nodeKill(MainArguments arguments, List<Integer> ports, List<String[]> followers,
            Map<String, String> tokens, URI create) throws IOException, InterruptedException {
        String token = tokens.get(arguments.require("author"));
        int count = Integer.parseInt(arguments.require("count"));
        long everyNs = Duration.ofMillis(arguments.intOr("post-every-ms", 200)).toNanos();
        long streamNs = Duration.ofSeconds(arguments.intOr("stream-s", 20)).toNanos();
        long killAfterNs = Duration.ofSeconds(arguments.intOr("kill-after-s", 5)).toNanos();
        long tailNs = Duration.ofSeconds(arguments.intOr("tail-s", 30)).toNanos();
        String command = arguments.require("kill-command");
        String marker = arguments.stringOr("kill-marker", "SIGKILL");

        long connecting = System.nanoTime();
        connect(followers.subList(0, count), ports, 0);
        double connectS = (System.nanoTime() - connecting) / 1e9;
        System.out.printf("node kill: %d connections open (%.1f s to connect)%n", count, connectS);
        awaitRegistered(ports, count);

        long start = System.nanoTime();
        Kill kill = new Kill(command, marker, start + killAfterNs);
        Thread killer = Thread.ofPlatform().name("kill-command").start(kill);
        List<long[]> times = new ArrayList<>(); // per post: sent, answered (nanoTime)
        List<StreamPost> posts = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; ; i++) {
            long due = start + i * everyNs;
            if (due - start >= streamNs) {
                break;
            }
            sleepUntil(due);
            long sent = System.nanoTime();
            String id = null;
            int status = 0;
            try {
                HttpResponse<String> response = clients.getFirst().send(createRequest(create, token, "node kill " + (i + 1)),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                status = response.statusCode();
                if (status == 200) {
                    id = JSON.readTree(response.body()).asString();
                }
            } catch (IOException e) {
                System.out.printf("node kill post %d: %s%n", i + 1, e);
            }
            long answered = System.nanoTime();
            times.add(new long[] {sent, answered});
            ids.add(id);
            posts.add(new StreamPost(id, status, ms(sent, start), ms(answered, start)));
            if (status != 200) {
                System.out.printf("node kill post %d: answered %d%n", i + 1, status);
            }
        }
        killer.join();
        long streamEnd = times.isEmpty() ? start : times.getLast()[1];

        // late frames: until every created post reached every socket, or the tail is over
        Set<String> created = ids.stream().filter(Objects::nonNull).collect(Collectors.toSet());
        long expected = (long) created.size() * count;
        long deadline = streamEnd + tailNs;
        while (System.nanoTime() < deadline && delivered(created) < expected) {
            Thread.sleep(100);
        }
        Thread.sleep(500); // late duplicates, if any, would show up here
        System.out.printf("node kill: %d posts (%d created), %d of %d frames delivered, %.1f s after the stream%n",
                posts.size(), created.size(), delivered(created), expected, (System.nanoTime() - streamEnd) / 1e9);

        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i) != null) {
                index.put(ids.get(i), i);
            }
        }
        List<SocketFrames> frames = new ArrayList<>();
        for (Frames listener : listeners) {
            List<Integer> postIndex = new ArrayList<>();
            List<Double> at = new ArrayList<>();
            for (Frame frame : listener.log) {
                Integer p = index.get(frame.postId());
                if (p != null) {
                    postIndex.add(p);
                    at.add(ms(frame.nanos(), start));
                }
            }
            long closedAt = listener.closedAt;
            frames.add(new SocketFrames(listener.port, postIndex.stream().mapToInt(Integer::intValue).toArray(),
                    at.stream().mapToDouble(Double::doubleValue).toArray(), closedAt == 0 ? -1 : ms(closedAt, start)));
        }
        Map<Integer, String> instanceNodes = new LinkedHashMap<>();
        for (String pair : arguments.stringOr("instance-nodes", "").trim().split("\\s+")) {
            if (pair.contains(":")) {
                instanceNodes.put(Integer.parseInt(pair.substring(0, pair.indexOf(':'))), pair.substring(pair.indexOf(':') + 1));
            }
        }
        return new NodeKillRun(arguments.intOr("node", 0), instanceNodes, ports, create.getPort(), everyNs / 1_000_000, command, kill.exit,
                ms(kill.started, start), ms(kill.at, start), ms(kill.ended, start), ms(streamEnd, start), connectS, posts, frames);
    }

    /** Frames received so far of these posts, one per socket and post at most. */
    private long delivered(Set<String> ids) {
        long n = 0;
        for (Frames listener : listeners) {
            for (String id : listener.posts) {
                if (ids.contains(id)) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * Runs the kill command at {@code at} (System.nanoTime) and notes when it started, printed its marker line,
     * and returned. {@link #at} is the marker's moment, else the return's.
     */
    static final class Kill implements Runnable {

        private final String command;
        private final String marker;
        private final long due;
        volatile long started;
        volatile long at;
        volatile long ended;
        volatile int exit = -1;

        Kill(String command, String marker, long due) {
            this.command = command;
            this.marker = marker;
            this.due = due;
        }

        @Override
        public void run() {
            try {
                sleepUntil(due);
                started = System.nanoTime();
                Process process = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        if (at == 0 && line.contains(marker)) {
                            at = System.nanoTime();
                        }
                        System.out.println("kill: " + line);
                    }
                }
                exit = process.waitFor();
                ended = System.nanoTime();
                if (at == 0) {
                    at = ended;
                }
                System.out.printf("kill: %s exited %d after %.1f s%n", command, exit, (ended - started) / 1e9);
            } catch (IOException e) {
                ended = System.nanoTime();
                at = ended;
                System.out.println("kill: could not run " + command + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private InstancesRun instances(MainArguments arguments, List<Integer> ports, List<String[]> followers,
            Map<String, String> tokens, URI create) throws IOException, InterruptedException {
        String label = arguments.require("author");
        String token = tokens.get(label);
        int count = Integer.parseInt(arguments.require("count"));
        int rounds = Integer.parseInt(arguments.require("rounds"));
        long pauseMs = Long.parseLong(arguments.require("pause-ms"));
        int warmUp = arguments.intOr("warm-up", 3);
        List<Long> pids = Arrays.stream(arguments.stringOr("pids", "").trim().split("\\s+")).filter(s -> !s.isEmpty())
                .map(Long::parseLong).toList();

        long connecting = System.nanoTime();
        connect(followers.subList(0, count), ports, 0);
        double connectS = (System.nanoTime() - connecting) / 1e9;
        System.out.printf("%d instances: %d connections open (%.1f s to connect)%n", ports.size(), count, connectS);
        awaitRegistered(ports, count);
        rounds(create, token, count, ports.size() + " instances, warm-up", warmUp, pauseMs);

        double[] cpuBefore = pids.stream().mapToDouble(RealtimeProbe::cpuSeconds).toArray();
        double probeBefore = cpuSeconds(ProcessHandle.current().pid());
        long[] machineBefore = RealtimeDelivery.cpuJiffiesNow();
        long windowStart = System.nanoTime();
        List<Round> measured = rounds(create, token, count, ports.size() + " instances", rounds, pauseMs);
        double windowS = (System.nanoTime() - windowStart) / 1e9;
        long[] machineAfter = RealtimeDelivery.cpuJiffiesNow();
        double probeCpu = cpuSeconds(ProcessHandle.current().pid()) - probeBefore;
        List<InstanceCpu> cpu = new ArrayList<>();
        for (int i = 0; i < pids.size(); i++) {
            double after = cpuSeconds(pids.get(i));
            cpu.add(new InstanceCpu(i < ports.size() ? ports.get(i) : 0, pids.get(i),
                    after < 0 || cpuBefore[i] < 0 ? -1 : after - cpuBefore[i]));
        }
        int cores = Runtime.getRuntime().availableProcessors();
        return new InstancesRun(ports, count, warmUp, connectS, measured, windowS, cpu, probeCpu,
                RealtimeDelivery.busyCores(machineBefore, machineAfter, cores), cores);
    }

    /** CPU seconds process {@code pid} has used so far (user + system, /proc on Linux); -1 when unknown. */
    private static double cpuSeconds(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).map(d -> d.toNanos() / 1e9).orElse(-1.0);
    }

    private void connect(List<String[]> followers, List<Integer> ports, int offset) throws InterruptedException {
        Semaphore handshakes = new Semaphore(CONCURRENT_HANDSHAKES);
        List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
        for (int i = 0; i < followers.size(); i++) {
            int n = offset + i;
            int port = ports.get(n % ports.size());
            URI uri = URI.create("ws://127.0.0.1:" + port + "/post/feed/posted");
            Frames listener = new Frames(port);
            listeners.add(listener);
            handshakes.acquire();
            opening.add(clients.get(n % CLIENTS).newWebSocketBuilder()
                    .header("Authorization", "Bearer " + followers.get(i)[1])
                    .buildAsync(uri, listener)
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
            registered = registered(ports);
            if (registered >= expected) {
                return;
            }
            Thread.sleep(100);
        }
        System.out.printf("only %.0f of %d connections registered after 60 s; measuring anyway%n", registered, expected);
    }

    /**
     * Waits (at most {@link #IDLE_TIMEOUT}) until the instances count no open live feed connection: the previous
     * run's process closed its sockets on exit, and {@link #awaitRegistered} must not count them.
     */
    private void awaitIdle(List<Integer> ports) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + IDLE_TIMEOUT.toNanos();
        double registered = registered(ports);
        while (registered > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            registered = registered(ports);
        }
        if (registered > 0) {
            System.out.printf("the instances still count %.0f open connections after %d s; going on%n", registered,
                    IDLE_TIMEOUT.toSeconds());
        }
    }

    private double registered(List<Integer> ports) throws IOException, InterruptedException {
        double registered = 0;
        for (int port : ports) {
            HttpResponse<String> metric = clients.getFirst().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + (port + MANAGEMENT_PORT_OFFSET) + "/actuator/metrics/socnet.realtime.connections")).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            registered += JSON.readTree(metric.body()).path("measurements").get(0).path("value").asDouble();
        }
        return registered;
    }

    private static HttpRequest createRequest(URI create, String token, String text) {
        return HttpRequest.newBuilder(create).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("text", "live feed bench: " + text))))
                .build();
    }

    private Round round(URI create, String token, int expected, String text) throws IOException, InterruptedException {
        HttpRequest request = createRequest(create, token, text);
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

    private static double ms(long nanos, long start) {
        return (nanos - start) / 1e6;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(Duration.ofNanos(wait));
        }
    }

    /** One frame a socket received: its post and when (System.nanoTime). */
    private record Frame(String postId, long nanos) {
    }

    /**
     * Collects each frame's receive time under its post id ({@link #received}) and in the socket's own log, and
     * notes when the server closed the socket.
     */
    private final class Frames implements WebSocket.Listener {

        private final int port;
        private final StringBuilder partial = new StringBuilder();
        /** This socket's frames, in arrival order. */
        private final ConcurrentLinkedQueue<Frame> log = new ConcurrentLinkedQueue<>();
        /** The post ids of {@link #log}, for counting progress. */
        private final Set<String> posts = ConcurrentHashMap.newKeySet();
        /** System.nanoTime when the socket was closed or failed; 0 while open. */
        private volatile long closedAt;

        Frames(int port) {
            this.port = port;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            long now = System.nanoTime();
            partial.append(data);
            if (last) {
                JsonNode frame = JSON.readTree(partial.toString());
                partial.setLength(0);
                String postId = frame.path("postId").asString();
                received.computeIfAbsent(postId, k -> new ConcurrentLinkedQueue<>()).add(now);
                log.add(new Frame(postId, now));
                posts.add(postId);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed("was closed: " + statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed("failed: " + error);
        }

        /** Notes the first close of this socket; the first few of the run are printed. */
        private void closed(String how) {
            if (closedAt == 0 && !ending) {
                closedAt = System.nanoTime();
                if (closed.incrementAndGet() <= 5) {
                    System.out.printf("a socket to :%d %s%n", port, how);
                }
            }
        }
    }
}
