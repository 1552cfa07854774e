package dev.socnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The alert rules that the cluster's Prometheus loads (ops/prometheus/rules/socnet.yml) are valid and
 * do what their unit tests say (ops/prometheus/tests/rules.test.yml): each alert fires on the series
 * it is about, after its {@code for:}, and stays quiet below its threshold. Runs Debian's
 * {@code promtool} (package prometheus, which {@code ./socnet} installs).
 */
class PrometheusRulesTest {

    @Test
    void rulesAreValid() throws Exception {
        promtool("check", "rules", "ops/prometheus/rules/socnet.yml");
    }

    @Test
    void rulesPassTheirUnitTests() throws Exception {
        promtool("test", "rules", "ops/prometheus/tests/rules.test.yml");
    }

    private static void promtool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(LocalCluster.ROOT.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        System.out.println(out);
        assertThat(p.exitValue()).as("promtool %s:%n%s", String.join(" ", args), out).isZero();
    }
}
