package dev.socnet.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.EnableScenarios;
import org.springframework.modulith.test.Scenario;
import org.springframework.test.context.TestPropertySource;

import com.fasterxml.uuid.Generators;

import dev.socnet.IntegrationTest;
import dev.socnet.friend.FollowStarted;
import dev.socnet.post.PostPublished;

/**
 * The feed module's event flows as Spring Modulith {@link Scenario}s: an event is published as its
 * module publishes it (in a transaction, so the outbox stores it and the asynchronous listeners run
 * after the commit), and the test waits for the event or the state that follows. No HTTP: users,
 * follows and posts are rows written here. The flows read and write PostgreSQL (the follow graph, the
 * outbox, the crowning), and the post fan-out goes through RabbitMQ, so this runs against the cluster
 * {@code ./socnet test} starts; same settings as {@link FeedIT} (celebrities: more than 3 followers, no
 * grace), so the two share one application context.
 */
@IntegrationTest
@EnableScenarios
@TestPropertySource(properties = {
        "socnet.feed.celebrity-threshold-followers=3",
        "socnet.feed.celebrity-grace=0s"})
class FeedEventFlowsIT {

    /** The asynchronous listeners run right after the commit; the fan-out adds a broker round trip. */
    static final Duration FLOW = Duration.ofSeconds(15);

    @Autowired
    JdbcClient jdbc;

    @Autowired
    FeedManager feeds;

    @Autowired
    FeedCache cache;

    @Autowired
    CelebrityDirectory celebrities;

    @Test
    void aFollowThatTakesAnAuthorPastTheThresholdCrownsThem(Scenario scenario) {
        UUID star = user();
        List<UUID> fans = Stream.generate(this::user).limit(4).toList();
        fans.forEach(fan -> follows(fan, star));

        scenario.publish(new FollowStarted(fans.getLast(), star))
                .andWaitAtMost(FLOW)
                .andWaitForEventOfType(CelebrityCrowned.class)
                .matching(crowned -> crowned.userId().equals(star))
                .toArriveAndVerify(crowned -> assertThat(celebrities.crownedAt(star)).isPresent());
    }

    @Test
    void aFollowThatLeavesAnAuthorAtTheThresholdCrownsNoOne(Scenario scenario) {
        UUID author = user();
        List<UUID> fans = Stream.generate(this::user).limit(3).toList();
        fans.forEach(fan -> follows(fan, author));

        // completed publications are deleted (spring.modulith.events.completion-mode: delete): none
        // outstanding for this follow means the crowning check has run
        scenario.publish(new FollowStarted(fans.getLast(), author))
                .andWaitAtMost(FLOW)
                .andWaitForStateChange(() -> outstanding("feed.celebrity.crown-on-follow", author), n -> n == 0)
                .andVerify(n -> assertThat(celebrities.crownedAt(author)).isEmpty());
    }

    @Test
    void aCrowningDropsTheCachedFeedsOfTheNewCelebritysFollowers(Scenario scenario) {
        UUID star = user();
        List<UUID> fans = Stream.generate(this::user).limit(4).toList();
        fans.forEach(fan -> follows(fan, star));
        UUID reader = fans.getFirst();
        feeds.populateHome(reader);
        assertThat(cache.hasHome(reader)).isTrue();

        // dropped, it is refilled on the next read with the celebrity in its header (merged at read time)
        scenario.publish(new FollowStarted(fans.getLast(), star))
                .andWaitAtMost(FLOW)
                .andWaitForStateChange(() -> cache.hasHome(reader), cached -> !cached)
                .andVerify(cached -> assertThat(celebrities.crownedAt(star)).isPresent());
    }

    @Test
    void aPublishedPostIsFannedOutIntoTheCachedFeedsOfTheAuthorsFollowers(Scenario scenario) {
        UUID author = user();
        UUID reader = user();
        UUID idle = user();
        follows(reader, author);
        follows(idle, author);
        feeds.populateHome(reader);
        Instant createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        UUID postId = post(author, "Привет!", createdAt);

        scenario.publish(new PostPublished(postId, author, createdAt))
                .andWaitAtMost(FLOW)
                .andWaitForStateChange(() -> feeds.read(reader, 0, 10), page -> !page.isEmpty())
                .andVerify(page -> {
                    assertThat(page).singleElement().satisfies(post -> {
                        assertThat(post.id()).isEqualTo(postId);
                        assertThat(post.text()).isEqualTo("Привет!");
                    });
                    assertThat(cache.hasHome(idle)).as("a feed nobody read is not built by the fan-out").isFalse();
                });
    }

    /** Publications of {@code listenerId} not completed yet whose event names {@code userId}. */
    private long outstanding(String listenerId, UUID userId) {
        return jdbc.sql("select count(*) from event_publication where listener_id = :listener and serialized_event like :user")
                .param("listener", listenerId).param("user", "%" + userId + "%").query(Long.class).single();
    }

    private UUID user() {
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into users (id, first_name, second_name, password_hash) values (:id, 'Сценарий', 'Тест', 'x')")
                .param("id", id).update();
        return id;
    }

    private void follows(UUID follower, UUID followee) {
        jdbc.sql("insert into friends (follower_id, followee_id) values (:follower, :followee)")
                .param("follower", follower).param("followee", followee).update();
    }

    private UUID post(UUID author, String text, Instant createdAt) {
        UUID id = Generators.timeBasedEpochGenerator().construct(createdAt.toEpochMilli());
        jdbc.sql("insert into posts (id, author_id, text, created_at) values (:id, :author, :text, :created)")
                .param("id", id).param("author", author).param("text", text)
                .param("created", createdAt.atOffset(ZoneOffset.UTC)).update();
        return id;
    }
}
