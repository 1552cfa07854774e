package dev.socnet.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RealtimeProbeKillTest {

    @Test
    void theKillMomentIsTheMarkerLineNotTheCommandsEnd() {
        RealtimeProbe.Kill kill = new RealtimeProbe.Kill(
                "echo starting; sleep 0.2; echo 'killing RabbitMQ node 2 (SIGKILL to pid 1)' >&2; sleep 0.5", "SIGKILL",
                System.nanoTime());

        kill.run();

        assertThat(kill.exit).isZero();
        assertThat(kill.at - kill.started).as("after the first line").isGreaterThan(150_000_000L);
        assertThat(kill.ended - kill.at).as("the command went on 0.5 s after the kill line").isGreaterThan(300_000_000L);
    }

    @Test
    void withoutTheMarkerTheKillMomentIsWhenTheCommandReturned() {
        RealtimeProbe.Kill kill = new RealtimeProbe.Kill("echo no such node; exit 1", "SIGKILL", System.nanoTime());

        kill.run();

        assertThat(kill.exit).isEqualTo(1);
        assertThat(kill.at).isEqualTo(kill.ended);
    }
}
