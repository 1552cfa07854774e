package dev.socnet.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import picocli.CommandLine.ParameterException;

/** {@code seed-graph}'s command line, as ./socnet and its hints spell it. */
class SeedGraphCommandTest {

    private static SeedGraphCommand parse(String... args) {
        return CommandLines.parse(SeedGraphCommand.class, args);
    }

    @Test
    void bareReplaceIsAccepted_asTheHintNamesIt() {
        assertThat(parse("seed-graph", "--replace").replace).isTrue();
        SeedGraphCommand graph = parse("seed-graph", "--replace", "--seed", "7");
        assertThat(graph.replace).isTrue();
        assertThat(graph.seed).isEqualTo(7);
        graph = parse("seed-graph", "--seed", "7", "--replace");
        assertThat(graph.replace).isTrue();
        assertThat(graph.seed).isEqualTo(7);
    }

    @Test
    void replaceWithAValueStillParses() {
        assertThat(parse("seed-graph", "--replace=yes").replace).isTrue();
        assertThat(parse("seed-graph", "--replace=no").replace).isFalse();
        assertThat(parse("seed-graph").replace).isFalse();
        assertThat(parse("seed-graph").seed).isEqualTo(42);
    }

    @Test
    void badValuesNameTheOption() {
        assertThatThrownBy(() -> parse("seed-graph", "--replace=maybe")).isInstanceOf(ParameterException.class)
                .hasMessageContaining("--replace").hasMessageContaining("yes or no");
        assertThatThrownBy(() -> parse("seed-graph", "--seed")).isInstanceOf(ParameterException.class)
                .hasMessageContaining("--seed");
        assertThatThrownBy(() -> parse("seed-graph", "--seed", "x")).isInstanceOf(ParameterException.class)
                .hasMessageContaining("--seed");
        assertThatThrownBy(() -> parse("seed-graph", "--bogus")).isInstanceOf(ParameterException.class)
                .hasMessageContaining("--bogus");
    }
}
