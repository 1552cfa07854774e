package dev.socnet.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import dev.socnet.feed.CelebrityDirectory;

/**
 * {@code seed-graph} against the real PostgreSQL ({@code SOCNET_DB_URL}, the test database): the graph
 * and posts in one transaction, the celebrities crowned by the feed module's rule
 * ({@link CelebrityDirectory}) inside that transaction, the step recorded. It replaces the test
 * database's follow graph and posts (the tools' tests run after the app's).
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE)
@TestPropertySource(properties = "socnet.feed.celebrity-threshold-followers=" + GraphSeederIT.THRESHOLD)
class GraphSeederIT {

    /** Low enough that the scaled-down celebrities of a few thousand users (400+ followers) pass it. */
    static final long THRESHOLD = 150;

    /** More than a seeded graph needs (3,212). */
    private static final int USERS = 3_500;

    @Autowired
    GraphSeeder seeder;

    @Autowired
    UserSeeder users;

    @Autowired
    CelebrityDirectory celebrities;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void seedsTheGraphAndCrownsByTheFeedsRuleInTheSameTransaction() {
        long present = jdbc.queryForObject("select count(*) from users", Long.class);
        if (present < USERS) {
            users.seed((int) (USERS - present), "graph-it-password", 11);
        }
        UUID someone = jdbc.queryForObject("select id from users order by id limit 1", UUID.class);
        jdbc.update("insert into feed_homes (user_id, populated_at) values (?, now()) on conflict do nothing", someone);

        GraphReport report = seeder.seed(7, true);

        assertThat(report.follows()).isEqualTo(count("select count(*) from friends")).isPositive();
        assertThat(report.posts()).isEqualTo(count("select count(*) from posts")).isPositive();
        // crowned: exactly the users past the threshold, counted here independently of the seeder
        long pastThreshold = count("select count(*) from (select followee_id from friends group by followee_id"
                + " having count(*) > " + THRESHOLD + ") t");
        assertThat(pastThreshold).as("users past the threshold").isPositive();
        assertThat(report.crowned()).isEqualTo(pastThreshold);
        assertThat(count("select count(*) from celebrities")).isEqualTo(pastThreshold);
        assertThat(count("select count(*) from celebrities c where (select count(*) from friends f"
                + " where f.followee_id = c.user_id) <= " + THRESHOLD)).as("celebrities at or below the threshold").isZero();
        // the replace forgot the filled-feed records through the feed module
        assertThat(count("select count(*) from feed_homes")).isZero();

        // the directory answers for the seeded celebrities: crowned now, posts past the grace not fanned out
        UUID celebrity = jdbc.queryForObject("select user_id from celebrities limit 1", UUID.class);
        assertThat(celebrities.crownedAt(celebrity)).isPresent();
        assertThat(celebrities.fansOutOnWrite(celebrity, Instant.now().plus(1, ChronoUnit.HOURS))).isFalse();

        List<String> step = jdbc.queryForList("select detail from seed_steps where step = 'graph' and completed_at is not null",
                String.class);
        assertThat(step).singleElement().asString().contains(report.follows() + " follows", report.crowned() + " celebrities");

        // without --replace over existing rows: refused, nothing changed
        assertThatThrownBy(() -> seeder.seed(8, false)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already hold rows");
        assertThat(count("select count(*) from friends")).isEqualTo(report.follows());
        assertThat(count("select count(*) from celebrities")).isEqualTo(pastThreshold);
    }

    private long count(String sql) {
        return jdbc.queryForObject(sql, Long.class);
    }
}
