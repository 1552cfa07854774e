package dev.socnet.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * {@code import} against the real PostgreSQL ({@code SOCNET_DB_URL}, database {@code socnet_test}),
 * in the application's context without a web server, as socnet-tools runs it. Every file names a city unique to the test run, so the test finds
 * and deletes exactly its own rows even with other tests writing to the same table.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE)
class PeopleImporterIT {

    @Autowired
    PeopleImporter importer;

    @Autowired
    JdbcTemplate jdbc;

    @TempDir
    Path dir;

    private final String city = "Тестоград-" + UUID.randomUUID();

    @AfterEach
    void deleteImportedRows() {
        jdbc.update("delete from users where city = ?", city);
    }

    private long rowsOfThisTest() {
        return jdbc.queryForObject("select count(*) from users where city = ?", Long.class, city);
    }

    @Test
    void importsExactlyTheLinesOfAGoodFile() throws IOException {
        Path file = dir.resolve("people.v2.csv");
        Files.writeString(file, "\uFEFFИванов Иван,1990-05-17," + city + "\r\n"
                + "Абрамов Арсений,26," + city + "\r\n"
                + "Петрова Мария,2001-01-31," + city + "\r\n", StandardCharsets.UTF_8);

        LoadReport report = importer.importFile(file);

        assertThat(report.users()).isEqualTo(3);
        assertThat(report.password()).isEqualTo("socnet-password");
        assertThat(rowsOfThisTest()).isEqualTo(3);
        List<String> people = jdbc.queryForList("select second_name || ' ' || first_name || ' ' || birthdate"
                + " from users where city = ? and biography is null order by id", String.class, city);
        assertThat(people).containsExactly(
                "Иванов Иван 1990-05-17",
                "Абрамов Арсений " + LocalDate.now().minusYears(26),
                "Петрова Мария 2001-01-31");
        Long inRange = jdbc.queryForObject("select count(*) from users where id between ? and ? and city = ?",
                Long.class, report.firstId(), report.lastId(), city);
        assertThat(inRange).isEqualTo(3);
        String hash = jdbc.queryForObject("select distinct password_hash from users where city = ?",
                String.class, city);
        assertThat(new BCryptPasswordEncoder().matches("socnet-password", hash)).isTrue();
    }

    @Test
    void aBadLineThreeImportsNothing() throws IOException {
        Path file = dir.resolve("people.csv");
        Files.writeString(file, "Иванов Иван,1990-05-17," + city + "\n"
                + "Абрамов Арсений,26," + city + "\n"
                + "Сидоров Олег,1990-02-30," + city + "\n"
                + "Петрова Мария,2001-01-31," + city + "\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> importer.importFile(file))
                .isInstanceOf(MalformedPeopleFileException.class)
                .hasMessageContaining("line 3")
                .hasMessageContaining("1990-02-30");
        assertThat(rowsOfThisTest()).isZero();
    }

    @Test
    void aBadLineAfterManyGoodOnesImportsNothing() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            text.append("Иванов Иван,1990-05-17,").append(city).append('\n');
        }
        text.append("Иванов,1990-05-17,").append(city).append('\n');
        Path file = Files.writeString(dir.resolve("people.v2.csv"), text, StandardCharsets.UTF_8);

        assertThatThrownBy(() -> importer.importFile(file))
                .isInstanceOf(MalformedPeopleFileException.class)
                .hasMessageContaining("line 50001");
        assertThat(rowsOfThisTest()).isZero();
    }
}
