package dev.socnet.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * {@code seed} against the real PostgreSQL ({@code SOCNET_DB_URL}, database {@code socnet_test}),
 * in the application's context without a web server, as socnet-tools runs it. Deletes exactly the rows it inserted (by id range).
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE)
class UserSeederIT {

    private static final int USERS = 1_000;

    @Autowired
    UserSeeder seeder;

    @Autowired
    JdbcTemplate jdbc;

    private LoadReport report;

    @AfterEach
    void deleteSeededRows() {
        if (report != null && report.users() > 0) {
            jdbc.update("delete from users where id between ? and ?", report.firstId(), report.lastId());
        }
    }

    @Test
    void seedsUsersWithRussianNamesPastBirthdatesAndAWorkingPassword() {
        long vacuumsBefore = vacuumsOfUsers();
        report = seeder.seed(USERS, "seed-it-password", 42);

        assertThat(report.users()).isEqualTo(USERS);
        assertThat(report.password()).isEqualTo("seed-it-password");
        List<Map<String, Object>> rows = jdbc.queryForList(
                "select first_name, second_name, birthdate, city, biography, password_hash from users"
                        + " where id between ? and ?", report.firstId(), report.lastId());
        assertThat(rows).hasSize(USERS);
        LocalDate today = LocalDate.now();
        assertThat(rows).allSatisfy(row -> {
            assertThat((String) row.get("first_name")).matches("\\p{IsCyrillic}+");
            assertThat((String) row.get("second_name")).matches("\\p{IsCyrillic}+");
            assertThat((String) row.get("city")).isNotBlank();
            assertThat(((Date) row.get("birthdate")).toLocalDate())
                    .isBefore(today.minusYears(14).plusDays(1))
                    .isAfter(today.minusYears(91));
        });
        assertThat(rows.stream().map(row -> row.get("second_name")).distinct().count())
                .as("distinct surnames among %d people", USERS).isGreaterThan(200);
        assertThat(rows.stream().filter(row -> row.get("biography") != null).count()).isBetween(700L, 900L);

        List<Object> hashes = rows.stream().map(row -> row.get("password_hash")).distinct().toList();
        assertThat(hashes).hasSize(1);
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder();
        assertThat(bcrypt.matches("seed-it-password", (String) hashes.getFirst())).isTrue();
        assertThat(bcrypt.matches("socnet-password", (String) hashes.getFirst())).isFalse();

        // VACUUM (ANALYZE) ran after the load. (Not the visibility map it sets: any older snapshot in the
        // cluster, e.g. a replica's query through hot_standby_feedback while the instances of
        // `./socnet up` run, keeps VACUUM from marking the new rows all-visible, whatever the seeder does.)
        assertThat(vacuumsOfUsers()).as("VACUUM (ANALYZE) users ran after the load").isGreaterThan(vacuumsBefore);
    }

    /** Manual VACUUMs and ANALYZEs of {@code users} so far (cumulative statistics). */
    private long vacuumsOfUsers() {
        return jdbc.queryForObject("select vacuum_count + analyze_count from pg_stat_user_tables where relname = 'users'",
                Long.class);
    }

    @Test
    void refusesNonPositiveCountsBeforeTouchingTheDatabase() {
        assertThatThrownBy(() -> seeder.seed(0, "socnet-password", 42))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be positive");
        assertThatThrownBy(() -> seeder.seed(10, "short", 42))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 6 characters");
    }
}
