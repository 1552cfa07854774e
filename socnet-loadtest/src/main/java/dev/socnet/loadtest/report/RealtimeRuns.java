package dev.socnet.loadtest.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import tools.jackson.databind.json.JsonMapper;

/**
 * What {@link RealtimeProbe} measured in one run of {@code ./socnet bench realtime}, as the JSON file it leaves
 * for {@link RealtimeReport} (one probe process per run: the script starts a third instance or kills a
 * RabbitMQ node between them). Raw figures only (receive times, latencies), no percentiles: the report
 * computes those. Times are ms; "stream ms" are ms since the first post of a node-kill run was sent.
 */
public final class RealtimeRuns {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RealtimeRuns() {
    }

    /** The measured rounds of one author. */
    record Phase(String label, int followers, List<Round> rounds) {
    }

    /**
     * One post: frames received of expected, latencies (ms, ascending) after the answer and after the request.
     * {@code duplicates}: frames beyond {@code expected} (a count per post, not per socket).
     */
    record Round(String postId, int expected, int delivered, int duplicates, double createMs, double[] afterAnswerMs,
            double[] afterRequestMs) {
    }

    /** The ordinary author and the celebrity, one after the other, over the first two instances ({@code phases.json}). */
    record PhasesRun(List<Integer> ports, int rounds, List<Phase> phases) {
    }

    /**
     * The node-kill run ({@code node-kill.json}): the ordinary author posts every {@code postEveryMs} to
     * {@code sockets.size()} online followers while a RabbitMQ node is killed.
     *
     * @param node the RabbitMQ node killed (1–3), 0 when unknown
     * @param instanceNodes per instance port, the RabbitMQ node(s) its AMQP connection went to before the kill
     *                      (as the script found them, e.g. {@code "1"}; empty when unknown)
     * @param createPort the instance the posts were created through (its live fan-out publishes them)
     * @param killCommand the command the probe ran
     * @param killExit its exit code (0: the node was killed)
     * @param killStartedMs when the command was started (stream ms)
     * @param killAtMs the kill moment (stream ms): when the command printed its kill line ({@code --kill-marker}),
     *                 else when it returned
     * @param killEndedMs when the command returned (stream ms)
     * @param streamEndMs when the last post's answer arrived (stream ms)
     */
    record NodeKillRun(int node, java.util.Map<Integer, String> instanceNodes, List<Integer> ports, int createPort,
            long postEveryMs, String killCommand, int killExit, double killStartedMs, double killAtMs, double killEndedMs, double streamEndMs,
            double connectS, List<StreamPost> posts, List<SocketFrames> sockets) {
    }

    /**
     * One post of the stream.
     *
     * @param postId the created post's id; null when the create failed
     * @param status the create's HTTP status; 0 when it failed without one (timeout, connection)
     * @param sentMs when the request was sent (stream ms)
     * @param answeredMs when the answer arrived (stream ms)
     */
    record StreamPost(String postId, int status, double sentMs, double answeredMs) {

        boolean created() {
            return postId != null;
        }
    }

    /**
     * The frames one socket received during a node-kill run, in arrival order.
     *
     * @param port the instance the socket was connected to
     * @param posts per frame, the index of its post in {@link NodeKillRun#posts()} (frames of other posts are left out)
     * @param atMs per frame, when it arrived (stream ms)
     * @param closedAtMs when the server closed the socket (stream ms); -1 when it stayed open
     */
    record SocketFrames(int port, int[] posts, double[] atMs, double closedAtMs) {
    }

    /**
     * The celebrity phase over {@code ports.size()} instances ({@code instances-N.json}).
     *
     * @param connectS seconds to open the connections
     * @param windowS seconds from the first measured post to the end of the last round (pauses included): the
     *                CPU figures' window
     * @param cpu per instance, CPU seconds used within the window
     * @param probeCpuS the load generator's CPU seconds within the window
     * @param machineBusyCores the whole machine's busy cores within the window (/proc/stat), -1 when unknown
     * @param cores the machine's CPU cores (as the load generator's JVM sees them)
     */
    record InstancesRun(List<Integer> ports, int followers, int warmUpRounds, double connectS, List<Round> rounds,
            double windowS, List<InstanceCpu> cpu, double probeCpuS, double machineBusyCores, int cores) {
    }

    /** CPU seconds one instance (its JVM's pid) used within a run's window; -1 when it could not be read. */
    record InstanceCpu(int port, long pid, double cpuS) {
    }

    static void write(Path file, Object run) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        JSON.writeValue(file.toFile(), run);
    }

    static <T> T read(Path file, Class<T> type) {
        return JSON.readValue(file.toFile(), type);
    }
}
