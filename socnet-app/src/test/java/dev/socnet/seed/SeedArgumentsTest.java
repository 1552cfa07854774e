package dev.socnet.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.DefaultApplicationArguments;

class SeedArgumentsTest {

    private static SeedArguments parse(String... args) {
        return SeedArguments.from(new DefaultApplicationArguments(args));
    }

    @Test
    void usersWithSpaceOrEqualsAndDefaults() {
        assertThat(parse("seed", "--users", "1000000"))
                .isEqualTo(new SeedArguments(1_000_000, "socnet-password", 42));
        assertThat(parse("seed", "--users=10", "--password", "secret-1", "--seed=-7"))
                .isEqualTo(new SeedArguments(10, "secret-1", -7));
    }

    @Test
    void springPropertiesAreLeftToSpring() {
        assertThat(parse("seed", "--logging.level.root=warn", "--users", "5", "--spring.main.banner-mode=off"))
                .isEqualTo(new SeedArguments(5, "socnet-password", 42));
    }

    @Test
    void missingOrBadUsersIsAUsageError() {
        assertThatThrownBy(() -> parse("seed")).isInstanceOf(CommandUsageException.class)
                .hasMessageContaining("--users is required");
        assertThatThrownBy(() -> parse("seed", "--users")).isInstanceOf(CommandUsageException.class)
                .hasMessage("option --users needs a value");
        assertThatThrownBy(() -> parse("seed", "--users", "0")).isInstanceOf(CommandUsageException.class)
                .hasMessage("--users must be positive, got 0");
        assertThatThrownBy(() -> parse("seed", "--users", "-5")).isInstanceOf(CommandUsageException.class)
                .hasMessage("--users must be positive, got -5");
        assertThatThrownBy(() -> parse("seed", "--users", "много")).isInstanceOf(CommandUsageException.class)
                .hasMessageContaining("whole number");
        assertThatThrownBy(() -> parse("seed", "--users", "5", "--users", "6"))
                .isInstanceOf(CommandUsageException.class).hasMessage("option --users is given twice");
    }

    @Test
    void strayArgumentsAndUnknownOptionsAreUsageErrors() {
        assertThatThrownBy(() -> parse("seed", "1000")).isInstanceOf(CommandUsageException.class)
                .hasMessage("unexpected argument '1000'");
        assertThatThrownBy(() -> parse("seed", "--user", "1000")).isInstanceOf(CommandUsageException.class)
                .hasMessage("unknown option --user")
                .satisfies(e -> assertThat(((CommandUsageException) e).usage()).startsWith("usage: "));
    }
}
