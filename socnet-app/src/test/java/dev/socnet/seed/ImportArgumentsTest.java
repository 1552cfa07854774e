package dev.socnet.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.DefaultApplicationArguments;

class ImportArgumentsTest {

    @TempDir
    Path dir;

    private static ImportArguments parse(String... args) {
        return ImportArguments.from(new DefaultApplicationArguments(args));
    }

    @Test
    void fileAndOptionalPassword() throws IOException {
        Path file = Files.writeString(dir.resolve("people.v2.csv"), "Иванов Иван,1990-05-17,Москва\n");
        assertThat(parse("import", file.toString())).isEqualTo(new ImportArguments(file, "socnet-password"));
        assertThat(parse("import", "--password", "secret-2", file.toString()))
                .isEqualTo(new ImportArguments(file, "secret-2"));
    }

    @Test
    void fileMustBeGivenOnceAndExist() throws IOException {
        Path file = Files.writeString(dir.resolve("people.csv"), "");
        assertThatThrownBy(() -> parse("import")).isInstanceOf(CommandUsageException.class)
                .hasMessageContaining("which file?");
        assertThatThrownBy(() -> parse("import", file.toString(), file.toString()))
                .isInstanceOf(CommandUsageException.class).hasMessageStartingWith("unexpected argument");
        assertThatThrownBy(() -> parse("import", dir.resolve("missing.csv").toString()))
                .isInstanceOf(CommandUsageException.class).hasMessageStartingWith("no readable file");
        assertThatThrownBy(() -> parse("import", dir.toString()))
                .isInstanceOf(CommandUsageException.class).hasMessageStartingWith("no readable file");
    }
}
