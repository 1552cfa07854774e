package dev.socnet.loadtest.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.HdrHistogram.Histogram;

import dev.socnet.loadtest.report.RealtimeRuns.SocketFrames;
import dev.socnet.loadtest.report.RealtimeRuns.StreamPost;

/**
 * The pure figures of the live feed benchmark's node-kill and instance-count runs, from raw receive times
 * ({@link RealtimeRuns}): frames per post, per-socket gaps and resumption after a kill, latency percentiles.
 * Times are ms (stream ms: since the first post of the run was sent).
 */
final class RealtimeDelivery {

    private RealtimeDelivery() {
    }

    /**
     * Latency percentiles of a set of values, ms. Percentiles by HdrHistogram (µs, 3 significant digits),
     * the maximum exact; all NaN when {@code count} is 0.
     */
    record Summary(int count, double p50, double p95, double p99, double max) {

        static Summary of(double[] ms) {
            if (ms.length == 0) {
                return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            Histogram micros = new Histogram(3_600_000_000L, 3);
            double max = 0;
            for (double v : ms) {
                micros.recordValue(Math.min(3_600_000_000L, Math.max(0, Math.round(v * 1000))));
                max = Math.max(max, v);
            }
            return new Summary(ms.length, micros.getValueAtPercentile(50) / 1000.0, micros.getValueAtPercentile(95) / 1000.0,
                    micros.getValueAtPercentile(99) / 1000.0, max);
        }
    }

    /**
     * What one created post of a stream reached.
     *
     * @param post index in the run's posts
     * @param expected sockets that should have got its frame (every socket of the run)
     * @param delivered sockets that got it at least once
     * @param duplicates frames beyond the first on the same socket
     * @param latencyMs per delivered socket, its first frame's arrival after the create answer (a frame that beat the
     *                  answer counts 0), ascending
     */
    record PostDelivery(int post, int expected, int delivered, int duplicates, double[] latencyMs) {
    }

    /**
     * Frames per created post of a stream.
     *
     * @param posts the run's posts (failed creates included: they get no entry)
     * @param sockets every socket's frames
     * @return one entry per created post, in post order
     */
    static List<PostDelivery> perPost(List<StreamPost> posts, List<SocketFrames> sockets) {
        int n = posts.size();
        List<List<Double>> latencies = new ArrayList<>();
        int[] duplicates = new int[n];
        for (int i = 0; i < n; i++) {
            latencies.add(new ArrayList<>());
        }
        for (SocketFrames socket : sockets) {
            boolean[] seen = new boolean[n];
            for (int f = 0; f < socket.posts().length; f++) {
                int p = socket.posts()[f];
                if (p < 0 || p >= n) {
                    continue;
                }
                if (seen[p]) {
                    duplicates[p]++;
                } else {
                    seen[p] = true;
                    latencies.get(p).add(Math.max(0, socket.atMs()[f] - posts.get(p).answeredMs()));
                }
            }
        }
        List<PostDelivery> out = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            if (!posts.get(p).created()) {
                continue;
            }
            double[] ms = latencies.get(p).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            out.add(new PostDelivery(p, sockets.size(), ms.length, duplicates[p], ms));
        }
        return out;
    }

    /**
     * One socket's view of a node kill.
     *
     * @param longestGapMs the longest time without a frame of the stream within {@code [from, to]} of {@link #perSocket}
     * @param firstFrameAfterKillMs from the kill to the first frame (of any post) that arrived after it; -1 when none did
     * @param resumedAfterMs from the kill to the first frame of a post sent at or after the kill; -1 when none came
     */
    record SocketDelivery(int port, int frames, int duplicates, double longestGapMs, double firstFrameAfterKillMs,
            double resumedAfterMs, boolean closed) {
    }

    /**
     * @param socket its frames (arrival order)
     * @param posts the run's posts
     * @param killAtMs the kill moment
     * @param fromMs start of the window the gap is measured in: when the first post's answer arrived
     * @param toMs its end: when the last post's answer arrived
     */
    static SocketDelivery perSocket(SocketFrames socket, List<StreamPost> posts, double killAtMs, double fromMs, double toMs) {
        Set<Integer> seen = new HashSet<>();
        int duplicates = 0;
        List<Double> resumedAt = new ArrayList<>();
        for (int f = 0; f < socket.posts().length; f++) {
            int p = socket.posts()[f];
            if (!seen.add(p)) {
                duplicates++;
            }
            if (p >= 0 && p < posts.size() && posts.get(p).sentMs() >= killAtMs) {
                resumedAt.add(socket.atMs()[f]);
            }
        }
        double[] at = socket.atMs().clone();
        Arrays.sort(at);
        double first = firstAtOrAfter(at, killAtMs);
        double resumed = resumedAt.stream().mapToDouble(Double::doubleValue).min().orElse(-1);
        return new SocketDelivery(socket.port(), at.length, duplicates, longestGapMs(at, fromMs, toMs),
                first < 0 ? -1 : first - killAtMs, resumed < 0 ? -1 : resumed - killAtMs, socket.closedAtMs() >= 0);
    }

    /**
     * The longest interval within {@code [fromMs, toMs]} without an arrival: between {@code fromMs} and the first
     * arrival in the window, between two arrivals, or between the last one and {@code toMs}. Arrivals outside the
     * window are ignored; none inside makes the whole window the gap.
     *
     * @param sortedAtMs arrival times, ascending
     */
    static double longestGapMs(double[] sortedAtMs, double fromMs, double toMs) {
        if (toMs <= fromMs) {
            return 0;
        }
        double previous = fromMs;
        double longest = 0;
        for (double t : sortedAtMs) {
            if (t < fromMs) {
                continue;
            }
            if (t > toMs) {
                break;
            }
            longest = Math.max(longest, t - previous);
            previous = t;
        }
        return Math.max(longest, toMs - previous);
    }

    /** The first of {@code sortedAtMs} at or after {@code t}; -1 when none is. */
    static double firstAtOrAfter(double[] sortedAtMs, double t) {
        int i = Arrays.binarySearch(sortedAtMs, t);
        if (i < 0) {
            i = -i - 1;
        } else {
            while (i > 0 && sortedAtMs[i - 1] == t) {
                i--;
            }
        }
        return i < sortedAtMs.length ? sortedAtMs[i] : -1;
    }

    /**
     * The busy and total jiffies of the machine from the first line of {@code /proc/stat}
     * ({@code cpu user nice system idle iowait irq softirq steal ...}): busy is all but idle and iowait.
     *
     * @return {busy, total}, or null when the line is not of that form
     */
    static long[] cpuJiffies(String procStatFirstLine) {
        String[] f = procStatFirstLine.strip().split("\\s+");
        if (f.length < 5 || !f[0].equals("cpu")) {
            return null;
        }
        long total = 0;
        long idle = 0;
        // guest and guest_nice (fields 9 and 10) are already counted in user and nice
        for (int i = 1; i < Math.min(f.length, 9); i++) {
            long v = Long.parseLong(f[i]);
            total += v;
            if (i == 4 || i == 5) {
                idle += v;
            }
        }
        return new long[] {total - idle, total};
    }

    /** {@link #cpuJiffies} of this machine now; null when /proc/stat cannot be read (not Linux). */
    static long[] cpuJiffiesNow() {
        try {
            return cpuJiffies(Files.readAllLines(Path.of("/proc/stat")).getFirst());
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * Busy cores of the machine between two {@link #cpuJiffies} readings: busy share of the jiffies times the
     * number of cores; -1 when a reading is missing.
     */
    static double busyCores(long[] before, long[] after, int cores) {
        if (before == null || after == null || after[1] <= before[1]) {
            return -1;
        }
        return (double) (after[0] - before[0]) / (after[1] - before[1]) * cores;
    }
}
