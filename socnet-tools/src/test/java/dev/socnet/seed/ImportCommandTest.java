package dev.socnet.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine.ParameterException;

class ImportCommandTest {

    @TempDir
    Path dir;

    private static ImportCommand parse(String... args) {
        return CommandLines.parse(ImportCommand.class, args);
    }

    @Test
    void fileAndOptionalPassword() throws IOException {
        Path file = Files.writeString(dir.resolve("people.v2.csv"), "Иванов Иван,1990-05-17,Москва\n");
        ImportCommand command = parse("import", file.toString());
        assertThat(command.file).isEqualTo(file);
        assertThat(command.password).isEqualTo("socnet-password");
        command = parse("import", "--password", "secret-2", file.toString());
        assertThat(command.file).isEqualTo(file);
        assertThat(command.password).isEqualTo("secret-2");
    }

    @Test
    void fileMustBeGivenOnceAndExist() throws IOException {
        Path file = Files.writeString(dir.resolve("people.csv"), "");
        assertThatThrownBy(() -> parse("import")).isInstanceOf(ParameterException.class)
                .hasMessageContaining("FILE");
        assertThatThrownBy(() -> parse("import", file.toString(), file.toString()))
                .isInstanceOf(ParameterException.class).hasMessageContaining("Unmatched argument");
        assertThatThrownBy(() -> parse("import", dir.resolve("missing.csv").toString()))
                .isInstanceOf(ParameterException.class).hasMessageStartingWith("no readable file");
        assertThatThrownBy(() -> parse("import", dir.toString()))
                .isInstanceOf(ParameterException.class).hasMessageStartingWith("no readable file");
    }
}
