package dev.socnet.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.DefaultApplicationArguments;

class GraphArgumentsTest {

    private static GraphArguments parse(String... args) {
        return GraphArguments.from(new DefaultApplicationArguments(args));
    }

    @Test
    void bareReplaceIsAccepted_asTheHintNamesIt() {
        assertThat(parse("seed-graph", "--replace").replace()).isTrue();
        assertThat(parse("seed-graph", "--replace", "--seed", "7")).isEqualTo(new GraphArguments(7, true));
        assertThat(parse("seed-graph", "--seed", "7", "--replace")).isEqualTo(new GraphArguments(7, true));
    }

    @Test
    void replaceWithAValueStillParses() {
        assertThat(parse("seed-graph", "--replace=yes").replace()).isTrue();
        assertThat(parse("seed-graph", "--replace=no").replace()).isFalse();
        assertThat(parse("seed-graph").replace()).isFalse();
    }

    @Test
    void badValuesNameTheOption() {
        assertThatThrownBy(() -> parse("seed-graph", "--replace=maybe")).isInstanceOf(CommandUsageException.class)
                .hasMessageContaining("--replace");
        assertThatThrownBy(() -> parse("seed-graph", "--seed")).isInstanceOf(CommandUsageException.class)
                .hasMessageContaining("--seed needs a value");
        assertThatThrownBy(() -> parse("seed-graph", "--bogus")).isInstanceOf(CommandUsageException.class)
                .hasMessageContaining("unknown option --bogus");
    }
}
