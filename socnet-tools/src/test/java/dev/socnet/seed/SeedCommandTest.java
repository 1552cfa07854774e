package dev.socnet.seed;

import static dev.socnet.seed.CommandLines.execute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import picocli.CommandLine.ParameterException;

/** {@code seed}'s command line: what the hand-written parser accepted is still accepted, and refused what it refused. */
class SeedCommandTest {

    private static SeedCommand parse(String... args) {
        return CommandLines.parse(SeedCommand.class, args);
    }

    @Test
    void usersWithSpaceOrEqualsAndDefaults() {
        SeedCommand seed = parse("seed", "--users", "1000000");
        assertThat(seed.users).isEqualTo(1_000_000);
        assertThat(seed.password).isEqualTo("socnet-password");
        assertThat(seed.seed).isEqualTo(42);

        seed = parse("seed", "--users=10", "--password", "secret-1", "--seed=-7");
        assertThat(seed.users).isEqualTo(10);
        assertThat(seed.password).isEqualTo("secret-1");
        assertThat(seed.seed).isEqualTo(-7);
    }

    @Test
    void springPropertiesAreLeftToSpring() {
        String[] args = {"seed", "--logging.level.root=warn", "--users", "5", "--spring.main.banner-mode=off"};
        assertThat(parse(args).users).isEqualTo(5);
        assertThat(SocnetTools.springArguments(args))
                .containsExactly("--logging.level.root=warn", "--spring.main.banner-mode=off");
    }

    @Test
    void missingOrBadUsersIsAUsageError() {
        assertThatThrownBy(() -> parse("seed")).isInstanceOf(ParameterException.class)
                .hasMessageContaining("--users");
        assertThatThrownBy(() -> parse("seed", "--users")).isInstanceOf(ParameterException.class)
                .hasMessageContaining("--users").hasMessageContaining("Missing required parameter");
        assertThatThrownBy(() -> parse("seed", "--users", "0")).isInstanceOf(ParameterException.class)
                .hasMessage("--users must be positive, got 0");
        assertThatThrownBy(() -> parse("seed", "--users", "-5")).isInstanceOf(ParameterException.class)
                .hasMessage("--users must be positive, got -5");
        assertThatThrownBy(() -> parse("seed", "--users", "много")).isInstanceOf(ParameterException.class)
                .hasMessageContaining("--users").hasMessageContaining("'много' is not an int");
        assertThatThrownBy(() -> parse("seed", "--users", "5", "--users", "6")).isInstanceOf(ParameterException.class)
                .hasMessageContaining("--users").hasMessageContaining("only once");
    }

    @Test
    void strayArgumentsAndUnknownOptionsAreUsageErrors() {
        assertThatThrownBy(() -> parse("seed", "--users", "5", "1000")).isInstanceOf(ParameterException.class)
                .hasMessageContaining("'1000'");
        assertThatThrownBy(() -> parse("seed", "--user", "1000")).isInstanceOf(ParameterException.class)
                .hasMessageContaining("--user");
    }

    @Test
    void aUsageErrorExitsWithTwoBeforeTouchingTheDatabase() {
        // no database is configured here: had the command started the application, it would fail with 1
        CommandLines.Run run = execute("seed", "--users", "0");
        assertThat(run.exitCode()).isEqualTo(2);
        // "<command>: <reason>" first: what ./socnet up quotes when a seed step fails (scripts/lib/seed.sh)
        assertThat(run.err()).startsWith("seed: --users must be positive, got 0").contains("Usage:");
        assertThat(run.out()).isEmpty();

        CommandLines.Run none = execute();
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).startsWith("socnet-tools: which command? seed, seed-graph or import");
    }

    @Test
    void helpExitsZeroWithTheOptions() {
        CommandLines.Run help = execute("seed", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--users=N", "--password=P", "--seed=S");
        assertThat(execute("--help").out()).contains("seed", "seed-graph", "import");
    }
}
