package dev.socnet.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.util.AopTestUtils;

import dev.socnet.ApiClient;
import dev.socnet.feed.SocialApi;
import dev.socnet.feed.SocialApi.Account;
import dev.socnet.post.PostPublished;

/**
 * The live feed across two app instances in this JVM (what HAProxy balances in production), against
 * the real PostgreSQL, Redis and RabbitMQ: followers connected to either instance receive each post of
 * whom they follow exactly once per connection, whichever instance the post was created through; not
 * the author, not strangers; unfollows and follows apply to open connections at once, for ordinary
 * authors and celebrities; the handshake needs a valid token. Celebrities here are authors with more
 * than 2 followers, routed by {@code author.{id}} without a grace period.
 */
class RealtimeIT {

    /** Outbox → RabbitMQ → instance queue → socket: milliseconds normally. */
    static final Duration DELIVERY = Duration.ofSeconds(15);

    static LiveInstance first;
    static LiveInstance second;
    static SocialApi viaFirst;
    static SocialApi viaSecond;

    @BeforeAll
    static void startTwoInstances() {
        String[] properties = {
                "socnet.feed.celebrity-threshold-followers=2",
                "socnet.feed.celebrity-grace=0s",
                "socnet.realtime.celebrity-refresh-interval=1s"};
        first = LiveInstance.start(properties);
        second = LiveInstance.start(properties);
        viaFirst = new SocialApi(new ApiClient(first.port()));
        viaSecond = new SocialApi(new ApiClient(second.port()));
    }

    @AfterAll
    static void stopInstances() {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
    }

    @Test
    void postReachesEveryConnectionOfEveryFollowerOnceWhicheverInstanceTheyAreOn() {
        Account author = viaFirst.register("Автор");
        Account both = viaFirst.register("НаДвух");
        Account onSecond = viaFirst.register("НаВтором");
        Account stranger = viaFirst.register("Чужой");
        viaFirst.follow(both, author);
        viaSecond.follow(onSecond, author);

        try (var bothOnFirst = LiveFeedClient.connect(first.port(), both.token());
                var bothOnSecond = LiveFeedClient.connectWithQueryToken(second.port(), both.token());
                var onSecondClient = LiveFeedClient.connect(second.port(), onSecond.token());
                var strangerClient = LiveFeedClient.connect(first.port(), stranger.token());
                var authorClient = LiveFeedClient.connect(second.port(), author.token())) {
            awaitConnected(first, both, stranger);
            awaitConnected(second, both, onSecond, author);

            String post = viaFirst.post(author, "живой пост");
            var followers = List.of(bothOnFirst, bothOnSecond, onSecondClient);
            await().atMost(DELIVERY).untilAsserted(() -> followers.forEach(c -> assertThat(c.count(post)).isEqualTo(1)));
            assertThat(LiveFeedClient.fields(bothOnSecond.frames().getFirst()))
                    .containsEntry("postId", post)
                    .containsEntry("postText", "живой пост")
                    .containsEntry("author_user_id", author.id());
            assertThat(bothOnSecond.frames().getFirst().propertyNames())
                    .containsExactlyInAnyOrder("postId", "postText", "author_user_id");

            // a later post through the other instance: once it has arrived, nothing more of the first can
            String later = viaSecond.post(author, "второй пост");
            await().atMost(DELIVERY).untilAsserted(() -> followers.forEach(c -> assertThat(c.count(later)).isEqualTo(1)));
            followers.forEach(c -> assertThat(c.frames()).hasSize(2));
            assertThat(strangerClient.frames()).as("a stranger's connection").isEmpty();
            assertThat(authorClient.frames()).as("own posts are not echoed").isEmpty();
        }
    }

    @Test
    void unfollowAndFollowApplyToTheOpenConnectionAtOnce() {
        Account author = viaFirst.register("Бывший");
        Account other = viaFirst.register("Другой");
        Account reader = viaFirst.register("Читатель");
        Account witness = viaFirst.register("Свидетель");
        viaFirst.follow(reader, author);
        viaFirst.follow(witness, author);
        viaFirst.follow(reader, other);

        try (var readerClient = LiveFeedClient.connect(second.port(), reader.token());
                var witnessClient = LiveFeedClient.connect(first.port(), witness.token())) {
            awaitConnected(second, reader);
            awaitConnected(first, witness);
            String before = viaFirst.post(author, "до отписки");
            await().atMost(DELIVERY).untilAsserted(() -> assertThat(readerClient.count(before)).isEqualTo(1));

            viaFirst.unfollow(reader, author);
            String after = viaFirst.post(author, "после отписки");
            await().atMost(DELIVERY).untilAsserted(() -> assertThat(witnessClient.count(after)).isEqualTo(1));
            String marker = viaFirst.post(other, "метка");
            await().atMost(DELIVERY).untilAsserted(() -> assertThat(readerClient.count(marker)).isEqualTo(1));
            assertThat(readerClient.count(after)).as("post of an unfollowed author").isZero();

            viaSecond.follow(reader, author);
            String again = viaFirst.post(author, "снова подписан");
            await().atMost(DELIVERY).untilAsserted(() -> assertThat(readerClient.count(again)).isEqualTo(1));
        }
    }

    @Test
    void celebrityPostsReachFollowersOnBothInstancesAndFollowChangesApplyAtOnce() {
        Account celebrity = viaFirst.register("Звезда");
        List<Account> fans = List.of(viaFirst.register("Фан1"), viaFirst.register("Фан2"), viaFirst.register("Фан3"));
        fans.forEach(fan -> viaFirst.follow(fan, celebrity));
        JdbcClient jdbc = first.bean(JdbcClient.class);
        await().atMost(DELIVERY).until(() -> jdbc.sql("select count(*) from celebrities where user_id = :id")
                .param("id", UUID.fromString(celebrity.id())).query(Long.class).single() == 1);
        Account newcomer = viaFirst.register("Новичок");

        try (var fan1 = LiveFeedClient.connect(first.port(), fans.get(0).token());
                var fan2 = LiveFeedClient.connect(second.port(), fans.get(1).token());
                var fan3 = LiveFeedClient.connect(second.port(), fans.get(2).token());
                var newcomerClient = LiveFeedClient.connect(first.port(), newcomer.token())) {
            awaitConnected(first, fans.get(0), newcomer);
            awaitConnected(second, fans.get(1), fans.get(2));

            viaSecond.follow(newcomer, celebrity);
            viaFirst.unfollow(fans.get(2), celebrity);
            var receivers = List.of(fan1, fan2, newcomerClient);
            String post = viaSecond.post(celebrity, "пост звезды");
            await().atMost(DELIVERY).untilAsserted(() -> receivers.forEach(c -> assertThat(c.count(post)).isEqualTo(1)));
            String later = viaFirst.post(celebrity, "ещё пост звезды");
            await().atMost(DELIVERY).untilAsserted(() -> receivers.forEach(c -> assertThat(c.count(later)).isEqualTo(1)));
            receivers.forEach(c -> assertThat(c.frames()).hasSize(2));
            assertThat(fan3.frames()).as("the fan who unfollowed").isEmpty();
        }
    }

    /**
     * A post whose live fan-out runs again (what an outbox resubmission does after a publication failed
     * part-way) reaches the broker and the instance twice, but the connection gets one frame; the
     * repeat is counted in {@code socnet_realtime_frames_deduplicated_total} on the instance's Prometheus
     * endpoint.
     */
    @Test
    void aPostFannedOutTwiceIsSentOnceAndTheRepeatIsCounted() throws Exception {
        Account author = viaFirst.register("Повтор");
        Account reader = viaFirst.register("Читатель");
        viaFirst.follow(reader, author);
        ApiClient management = new ApiClient(first.managementPort());
        try (var client = LiveFeedClient.connect(first.port(), reader.token())) {
            awaitConnected(first, reader);
            String post = viaFirst.post(author, "дважды разосланный");
            await().atMost(DELIVERY).untilAsserted(() -> assertThat(client.count(post)).isEqualTo(1));
            double deduplicatedBefore = counter(management, "socnet_realtime_frames_deduplicated_total");
            double sentBefore = counter(management, "socnet_realtime_frames_sent_total");

            // the fan-out listener once more, as the outbox's resubmission calls it: real RabbitMQ publish
            // (confirmed), routed by user.{reader} to this instance's queue again
            UUID postId = UUID.fromString(post);
            LiveFanOut fanOut = AopTestUtils.getUltimateTargetObject(first.bean(LiveFanOut.class));
            fanOut.on(new PostPublished(postId, UUID.fromString(author.id()),
                    Instant.ofEpochMilli(postId.getMostSignificantBits() >>> 16)));

            await().atMost(DELIVERY).untilAsserted(() -> assertThat(
                    counter(management, "socnet_realtime_frames_deduplicated_total") - deduplicatedBefore)
                    .as("repeats dropped on the instance").isEqualTo(1));
            // a later post arrives through the same queue: had the repeat been sent, it would be there too
            String later = viaFirst.post(author, "следующий");
            await().atMost(DELIVERY).untilAsserted(() -> assertThat(client.count(later)).isEqualTo(1));
            assertThat(client.count(post)).as("frames of the post fanned out twice").isEqualTo(1);
            assertThat(counter(management, "socnet_realtime_frames_sent_total") - sentBefore)
                    .as("frames sent meanwhile: the later post's").isEqualTo(1);
        }
    }

    /** A counter without labels as the instance's {@code /actuator/prometheus} shows it; 0 when absent. */
    static double counter(ApiClient management, String name) {
        var response = management.get("/actuator/prometheus");
        assertThat(response.status()).isEqualTo(200);
        return response.body().lines()
                .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void handshakeWithoutAValidTokenIsRefusedWith401() {
        Account user = viaFirst.register("Безтокенный");
        assertThat(LiveFeedClient.refusedStatus(LiveFeedClient.feedUri(first.port(), null))).isEqualTo(401);
        assertThat(LiveFeedClient.refusedStatus(LiveFeedClient.feedUri(first.port(), null),
                "Authorization", "Bearer not-a-jwt")).isEqualTo(401);
        assertThat(LiveFeedClient.refusedStatus(LiveFeedClient.feedUri(second.port(), "not-a-jwt"))).isEqualTo(401);
        String tampered = user.token().substring(0, user.token().length() - 2) + "xx";
        assertThat(LiveFeedClient.refusedStatus(LiveFeedClient.feedUri(second.port(), null),
                "Authorization", "Bearer " + tampered)).isEqualTo(401);
    }

    /** Waits until the instance has registered (bound, marked online) a connection of each user. */
    static void awaitConnected(LiveInstance instance, Account... users) {
        Set<UUID> ids = java.util.Arrays.stream(users).map(u -> UUID.fromString(u.id()))
                .collect(java.util.stream.Collectors.toSet());
        // registered, not only listed: a post made between the listing and the binding reaches no one
        await().atMost(DELIVERY).until(() -> ids.stream().allMatch(instance.bean(LiveConnections.class)::registered));
    }
}
