package dev.socnet.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import dev.socnet.ApiClient;
import dev.socnet.IntegrationTest;
import dev.socnet.feed.SocialApi.Account;
import dev.socnet.feed.SocialApiIntegration;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;

/**
 * Per-user write limits on a real instance (small allowances, an hour long, so that nothing renews during
 * the test): the writes past a user's limit are answered 429 with {@code Retry-After}, the JSON error body
 * naming the limit and carrying the request id, and change nothing (checked in PostgreSQL and through the
 * API); another user is not affected; the refusals are counted per limit.
 */
@IntegrationTest
@TestPropertySource(properties = {
        "socnet.rate-limits.limits.posts.limit-for-period=3",
        "socnet.rate-limits.limits.posts.limit-refresh-period=1h",
        "socnet.rate-limits.limits.follows.limit-for-period=2",
        "socnet.rate-limits.limits.follows.limit-refresh-period=1h",
        "socnet.rate-limits.limits.dialog-messages.limit-for-period=2",
        "socnet.rate-limits.limits.dialog-messages.limit-refresh-period=1h"})
class RateLimitIT extends SocialApiIntegration {

    static final long PERIOD_S = 3600;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    @Test
    void postWritesPastTheLimitAre429AndChangeNothingWhileOthersStillPost() {
        Account anna = social.register("Анна");
        Account boris = social.register("Борис");
        double rejectedBefore = rejected("posts");

        String first = social.post(anna, "первый");
        social.edit(anna, first, "первый, исправленный");
        String second = social.post(anna, "второй"); // the third write: the last permit

        assertTooMany(api.post("/post/create", Map.of("text", "лишний"), with(anna, "rl-post-create")),
                "rl-post-create", "posts");
        assertTooMany(api.put("/post/update", Map.of("id", second, "text", "испорчен"), with(anna, "rl-post-update")),
                "rl-post-update", "posts");
        assertTooMany(api.put("/post/delete/" + first, null, with(anna, "rl-post-delete")),
                "rl-post-delete", "posts");

        assertThat(jdbc.sql("select text from posts where author_id = :a order by id")
                .param("a", UUID.fromString(anna.id())).query(String.class).list())
                .as("nothing was created, edited or deleted by the refused writes")
                .containsExactly("первый, исправленный", "второй");
        assertThat(api.get("/post/get/" + second).json().path("text").asString()).isEqualTo("второй");

        social.post(boris, "Борис пишет, как писал"); // another user's allowance is his own
        assertThat(rejected("posts") - rejectedBefore).isEqualTo(3);
    }

    @Test
    void followsPastTheLimitAre429AndLeaveTheGraphAsItWas() {
        Account anna = social.register("Анна");
        Account boris = social.register("Борис");
        Account vera = social.register("Вера");
        Account gleb = social.register("Глеб");

        social.follow(anna, boris);
        social.follow(anna, vera);
        assertTooMany(api.put("/friend/set/" + gleb.id(), null, with(anna, "rl-follow")), "rl-follow", "follows");
        assertTooMany(api.put("/friend/delete/" + boris.id(), null, with(anna, "rl-unfollow")), "rl-unfollow", "follows");

        assertThat(jdbc.sql("select followee_id from friends where follower_id = :a")
                .param("a", UUID.fromString(anna.id())).query(UUID.class).set())
                .as("Gleb was not followed, Boris not unfollowed")
                .containsExactlyInAnyOrder(UUID.fromString(boris.id()), UUID.fromString(vera.id()));

        social.follow(boris, anna);
        social.follow(boris, gleb);
    }

    @Test
    void dialogSendsPastTheLimitAre429AndAreNotStored() {
        Account anna = social.register("Анна");
        Account boris = social.register("Борис");
        String path = "/dialog/" + boris.id() + "/send";

        assertThat(api.post(path, Map.of("text", "раз"), anna.auth()).status()).isEqualTo(200);
        assertThat(api.post(path, Map.of("text", "два"), anna.auth()).status()).isEqualTo(200);
        assertTooMany(api.post(path, Map.of("text", "три"), with(anna, "rl-send")), "rl-send", "dialog-messages");

        assertThat(api.post("/dialog/" + anna.id() + "/send", Map.of("text", "Борис отвечает"), boris.auth()).status())
                .as("the peer's own sends are not limited by Anna's").isEqualTo(200);
        JsonNode dialog = api.get("/dialog/" + boris.id() + "/list", anna.auth()).json();
        assertThat(dialog.findValuesAsString("text")).containsExactly("Борис отвечает", "два", "раз");
    }

    /** 429, Retry-After in whole seconds within the period, the JSON error body naming the limit, the request id. */
    private static void assertTooMany(ApiClient.Response response, String requestId, String limit) {
        response.assertError(429, null);
        assertThat(response.header("X-Request-Id")).isEqualTo(requestId);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(Long.parseLong(response.header("Retry-After"))).isBetween(1L, PERIOD_S);
        JsonNode body = response.json();
        assertThat(body.path("request_id").asString()).isEqualTo(requestId);
        assertThat(body.path("message").asString()).startsWith("rate limit " + limit + ": at most ")
                .contains("per 3600 s per user").contains("retry after " + response.header("Retry-After") + " s");
    }

    /** Anna's bearer token and a request id of the test's own. */
    private static String[] with(Account account, String requestId) {
        return new String[] {"Authorization", "Bearer " + account.token(), "X-Request-Id", requestId};
    }

    private double rejected(String limit) {
        Counter counter = meters.find(UserRateLimits.REJECTED).tag("limit", limit).counter();
        return counter == null ? 0 : counter.count();
    }
}
