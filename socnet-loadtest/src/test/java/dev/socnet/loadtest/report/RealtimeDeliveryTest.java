package dev.socnet.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.socnet.loadtest.report.RealtimeDelivery.PostDelivery;
import dev.socnet.loadtest.report.RealtimeDelivery.SocketDelivery;
import dev.socnet.loadtest.report.RealtimeDelivery.Summary;
import dev.socnet.loadtest.report.RealtimeRuns.SocketFrames;
import dev.socnet.loadtest.report.RealtimeRuns.StreamPost;

class RealtimeDeliveryTest {

    /** Posts every 200 ms from 0 ms, each answered 20 ms after it was sent; the one at index {@code failed} not created. */
    static List<StreamPost> posts(int n, int failed) {
        return java.util.stream.IntStream.range(0, n)
                .mapToObj(i -> i == failed ? new StreamPost(null, 503, i * 200.0, i * 200.0 + 20)
                        : new StreamPost("p" + i, 200, i * 200.0, i * 200.0 + 20))
                .toList();
    }

    @Test
    void longestGapCountsTheWindowsEdgesAndIgnoresArrivalsOutsideIt() {
        double[] at = {50, 250, 450, 1650, 1850};

        assertThat(RealtimeDelivery.longestGapMs(at, 20, 1900)).as("450 → 1650").isEqualTo(1200);
        assertThat(RealtimeDelivery.longestGapMs(at, 20, 5000)).as("the last arrival to the window's end").isEqualTo(3150);
        assertThat(RealtimeDelivery.longestGapMs(new double[] {-100, 10, 3000}, 20, 500)).as("none inside: the window")
                .isEqualTo(480);
        assertThat(RealtimeDelivery.longestGapMs(new double[] {}, 20, 20)).isZero();
    }

    @Test
    void firstAtOrAfterFindsTheFirstArrivalNotBeforeTheMoment() {
        double[] at = {10, 20, 20, 30};

        assertThat(RealtimeDelivery.firstAtOrAfter(at, 20)).isEqualTo(20);
        assertThat(RealtimeDelivery.firstAtOrAfter(at, 21)).isEqualTo(30);
        assertThat(RealtimeDelivery.firstAtOrAfter(at, 0)).isEqualTo(10);
        assertThat(RealtimeDelivery.firstAtOrAfter(at, 31)).isEqualTo(-1);
    }

    @Test
    void perPostCountsSocketsOnceAndDuplicatesApartAndSkipsFailedCreates() {
        List<StreamPost> posts = posts(3, 1);
        // socket a: post 0 twice, post 2 (10 ms before its answer); socket b: post 0 only
        SocketFrames a = new SocketFrames(18097, new int[] {0, 0, 2}, new double[] {70, 90, 410}, -1);
        SocketFrames b = new SocketFrames(18098, new int[] {0}, new double[] {120}, -1);

        List<PostDelivery> perPost = RealtimeDelivery.perPost(posts, List.of(a, b));

        assertThat(perPost).extracting(PostDelivery::post).containsExactly(0, 2);
        assertThat(perPost.get(0).delivered()).isEqualTo(2);
        assertThat(perPost.get(0).expected()).isEqualTo(2);
        assertThat(perPost.get(0).duplicates()).isEqualTo(1);
        assertThat(perPost.get(0).latencyMs()).containsExactly(50, 100);
        assertThat(perPost.get(1).delivered()).isEqualTo(1);
        assertThat(perPost.get(1).latencyMs()).as("beat the answer: 0").containsExactly(0);
    }

    @Test
    void perSocketMeasuresTheGapAndTheResumptionAfterTheKill() {
        List<StreamPost> posts = posts(10, -1);
        // frames of posts 0–3 (sent 0–600 ms), the kill at 700 ms, an in-flight frame of post 3 at 710 ms,
        // nothing until post 8 (sent 1600 ms) arrives at 2100 ms, then post 9
        SocketFrames socket = new SocketFrames(18097, new int[] {0, 1, 2, 3, 8, 9},
                new double[] {60, 260, 460, 710, 2100, 1860 + 400}, -1);

        SocketDelivery s = RealtimeDelivery.perSocket(socket, posts, 700, 20, 1820);

        assertThat(s.frames()).isEqualTo(6);
        assertThat(s.duplicates()).isZero();
        assertThat(s.longestGapMs()).as("710 → the window's end at 1820 (2100 is past it)").isEqualTo(1110);
        assertThat(s.firstFrameAfterKillMs()).as("the in-flight frame").isEqualTo(10);
        assertThat(s.resumedAfterMs()).as("post 8, the first sent after the kill that came").isEqualTo(1400);
        assertThat(s.closed()).isFalse();

        SocketDelivery never = RealtimeDelivery.perSocket(new SocketFrames(18098, new int[] {0}, new double[] {60}, 900),
                posts, 700, 20, 1820);
        assertThat(never.firstFrameAfterKillMs()).isEqualTo(-1);
        assertThat(never.resumedAfterMs()).isEqualTo(-1);
        assertThat(never.closed()).isTrue();
    }

    @Test
    void summaryTakesPercentilesFromAHistogramAndTheExactMaximum() {
        double[] ms = new double[100];
        for (int i = 0; i < 100; i++) {
            ms[i] = i + 1;
        }
        ms[99] = 1234.567;

        Summary s = Summary.of(ms);

        assertThat(s.count()).isEqualTo(100);
        assertThat(s.p50()).isCloseTo(50, within(0.1));
        assertThat(s.p95()).isCloseTo(95, within(0.1));
        assertThat(s.p99()).isCloseTo(99, within(0.1));
        assertThat(s.max()).isEqualTo(1234.567);
        assertThat(Summary.of(new double[0]).p50()).isNaN();
    }

    @Test
    void busyCoresFromProcStat() {
        long[] before = RealtimeDelivery.cpuJiffies("cpu  100 0 50 800 50 0 0 0 0 0");
        long[] after = RealtimeDelivery.cpuJiffies("cpu  200 0 100 900 50 0 0 0 0 0");

        assertThat(before).containsExactly(150, 1000);
        assertThat(RealtimeDelivery.busyCores(before, after, 2)).as("150 busy of 250 jiffies, 2 cores").isCloseTo(1.2, within(1e-9));
        assertThat(RealtimeDelivery.cpuJiffies("intr 1 2 3")).isNull();
        assertThat(RealtimeDelivery.busyCores(null, after, 2)).isEqualTo(-1);
    }
}
