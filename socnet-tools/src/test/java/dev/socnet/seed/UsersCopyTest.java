package dev.socnet.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.time.LocalDate;
import java.util.UUID;

import com.fasterxml.uuid.Generators;
import org.junit.jupiter.api.Test;

class UsersCopyTest {

    private final StringWriter out = new StringWriter();
    private final UsersCopy copy = new UsersCopy(out, Generators.timeBasedEpochGenerator(), "$2a$10$hash");

    @Test
    void writesOneTabSeparatedRowPerUserWithNullAsBackslashN() throws IOException {
        UUID id = copy.add(new NewUser("Иван", "Иванов", LocalDate.of(1990, 5, 17), null, "Москва"));
        assertThat(out).hasToString(id + "\tИван\tИванов\t1990-05-17\t\\N\tМосква\t$2a$10$hash\n");
        assertThat(id.version()).isEqualTo(7);
    }

    @Test
    void escapesCopySpecialCharacters() throws IOException {
        copy.add(new NewUser("a\\b", "c\td", LocalDate.of(2000, 1, 1), "line1\nline2\r", null));
        assertThat(out.toString()).contains("\ta\\\\b\tc\\td\t2000-01-01\tline1\\nline2\\r\t\\N\t");
    }

    @Test
    void tracksCountAndIdRangeInPostgresOrder() throws IOException {
        assertThat(copy.rows()).isZero();
        assertThat(copy.firstId()).isNull();
        UUID first = copy.add(new NewUser("Иван", "Иванов", LocalDate.of(1990, 5, 17), null, null));
        UUID second = copy.add(new NewUser("Мария", "Иванова", LocalDate.of(1991, 5, 17), null, null));
        assertThat(copy.rows()).isEqualTo(2);
        assertThat(copy.firstId()).isEqualTo(first);
        assertThat(copy.lastId()).isEqualTo(second);
    }
}
