package dev.socnet.post;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.socnet.ApiClient;
import dev.socnet.IntegrationTest;
import dev.socnet.feed.SocialApi.Account;
import dev.socnet.feed.SocialApiIntegration;
import dev.socnet.idempotency.IdempotentRequests;

/**
 * {@code POST /post/create} with an {@code Idempotency-Key}: a repeat answers the first post's id and
 * stores nothing (one row in {@code posts}), another text under the key is a 422 naming the header,
 * concurrent duplicates store one post, a key is the caller's own, and keys past the retention are
 * purged and may then be used afresh.
 */
@IntegrationTest
class PostIdempotencyIT extends SocialApiIntegration {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    IdempotentRequests idempotent;

    @Test
    void aRepeatAnswersTheFirstIdAndStoresNothing() {
        Account anna = social.register("Анна");
        String key = UUID.randomUUID().toString();
        var first = create(anna, "Первый пост", key);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("Idempotent-Replayed")).isNull();

        var repeat = create(anna, "Первый пост", key);
        assertThat(repeat.status()).isEqualTo(200);
        assertThat(repeat.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(repeat.json().asString()).isEqualTo(first.json().asString());
        assertThat(posts(anna)).isEqualTo(1);

        // without a key, the same text is a new post
        assertThat(create(anna, "Первый пост", null).json().asString()).isNotEqualTo(first.json().asString());
        assertThat(posts(anna)).isEqualTo(2);
    }

    @Test
    void aKeyIsTheCallersOwn() {
        Account anna = social.register("Анна");
        Account boris = social.register("Борис");
        String key = UUID.randomUUID().toString();
        String annas = create(anna, "тот же текст", key).json().asString();
        var boriss = create(boris, "тот же текст", key);
        assertThat(boriss.header("Idempotent-Replayed")).isNull();
        assertThat(boriss.json().asString()).isNotEqualTo(annas);
        assertThat(posts(boris)).isEqualTo(1);
    }

    @Test
    void aKeyReusedForAnotherTextIs422NamingTheHeader() {
        Account anna = social.register("Анна");
        String key = UUID.randomUUID().toString();
        create(anna, "первый текст", key);
        create(anna, "другой текст", key).assertError(422, "Idempotency-Key");
        assertThat(posts(anna)).isEqualTo(1);
    }

    @Test
    void malformedKeysAre400NamingTheHeader() {
        Account anna = social.register("Анна");
        for (String bad : List.of("", "k".repeat(256), "two words")) {
            create(anna, "текст", bad).assertError(400, "Idempotency-Key");
        }
        assertThat(posts(anna)).isZero();
    }

    @Test
    void concurrentDuplicatesStoreOnePost() throws Exception {
        Account anna = social.register("Анна");
        String key = UUID.randomUUID().toString();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ApiClient.Response>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return create(anna, "один пост", key);
                }));
            }
            start.countDown();
            Set<String> ids = new HashSet<>();
            for (var answer : answers) {
                var response = answer.get();
                assertThat(response.status()).as(response.body()).isEqualTo(200);
                ids.add(response.json().asString());
            }
            assertThat(ids).hasSize(1);
        }
        assertThat(posts(anna)).isEqualTo(1);
    }

    @Test
    void keysPastTheRetentionArePurgedAndMayBeUsedAfresh() {
        Account anna = social.register("Анна");
        String key = UUID.randomUUID().toString();
        String first = create(anna, "давний пост", key).json().asString();
        age(anna, key);
        var again = create(anna, "давний пост", key);
        assertThat(again.header("Idempotent-Replayed")).as("an expired key is unused").isNull();
        assertThat(again.json().asString()).isNotEqualTo(first);
        assertThat(posts(anna)).isEqualTo(2);

        age(anna, key);
        assertThat(idempotent.purgeExpired()).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.sql("select count(*) from idempotency_keys where user_id = :user")
                .param("user", UUID.fromString(anna.id())).query(Integer.class).single()).isZero();
    }

    private ApiClient.Response create(Account author, String text, String key) {
        List<String> headers = new ArrayList<>(List.of(author.auth()));
        if (key != null) {
            headers.addAll(List.of("Idempotency-Key", key));
        }
        return api.post("/post/create", Map.of("text", text), headers.toArray(String[]::new));
    }

    private int posts(Account author) {
        return jdbc.sql("select count(*)::int from posts where author_id = :author")
                .param("author", UUID.fromString(author.id())).query(Integer.class).single();
    }

    /** Moves a key's first use 25 h into the past (the retention is 24 h). */
    private void age(Account user, String key) {
        jdbc.sql("update idempotency_keys set created_at = now() - interval '25 hours'"
                        + " where user_id = :user and idempotency_key = :key")
                .param("user", UUID.fromString(user.id())).param("key", key).update();
    }
}
