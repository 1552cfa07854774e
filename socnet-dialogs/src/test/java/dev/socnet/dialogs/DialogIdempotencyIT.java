package dev.socnet.dialogs;

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

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends with an {@code Idempotency-Key} against the real Citus coordinator and workers: a repeat stores
 * nothing and answers the first message, another text under the key is a 422 naming the header,
 * concurrent duplicates store one message, and keys past the retention are purged (and may then be
 * used afresh). Counts are read from {@code dialog_messages} itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "socnet.dialogs.gateway-secret=" + InternalApi.SECRET)
class DialogIdempotencyIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    IdempotencyKeys keys;

    InternalApi api;
    UUID anna = UUID.randomUUID();
    UUID boris = UUID.randomUUID();

    @BeforeEach
    void client() {
        api = new InternalApi(port);
    }

    @Test
    void aRepeatAnswersTheFirstMessageAndStoresNothing() {
        String key = UUID.randomUUID().toString();
        var first = send(anna, boris, "Привет", key);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.header("Idempotent-Replayed")).isNull();

        var repeat = send(anna, boris, "Привет", key);
        assertThat(repeat.status()).as(repeat.body()).isEqualTo(200);
        assertThat(repeat.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(repeat.json()).isEqualTo(first.json());
        assertThat(stored(anna, boris)).isEqualTo(1);

        // the key is the sender's, in this dialog: Boris, or Anna in another dialog, may use the same one
        assertThat(send(boris, anna, "Привет", key).header("Idempotent-Replayed")).isNull();
        assertThat(send(anna, UUID.randomUUID(), "Привет", key).header("Idempotent-Replayed")).isNull();
        assertThat(stored(anna, boris)).isEqualTo(2);
    }

    @Test
    void aKeyReusedForAnotherTextIs422NamingTheHeader() {
        String key = UUID.randomUUID().toString();
        assertThat(send(anna, boris, "первое", key).status()).isEqualTo(200);
        var reused = send(anna, boris, "другое", key);
        assertThat(reused.status()).as(reused.body()).isEqualTo(422);
        JsonNode error = reused.json();
        assertThat(error.path("field").asString()).isEqualTo("Idempotency-Key");
        assertThat(error.path("message").asString()).startsWith("Idempotency-Key");
        assertThat(error.path("request_id").asString()).isEqualTo(reused.header("X-Request-Id"));
        assertThat(stored(anna, boris)).isEqualTo(1);
    }

    @Test
    void malformedKeysAre400() {
        for (String bad : List.of("", "x".repeat(IdempotencyKeys.MAX_CHARS + 1), "two words")) {
            var response = send(anna, boris, "текст", bad);
            assertThat(response.status()).as("key '%s': %s", bad, response.body()).isEqualTo(400);
            assertThat(response.json().path("field").asString()).isEqualTo("Idempotency-Key");
        }
        assertThat(stored(anna, boris)).isZero();
    }

    @Test
    void concurrentDuplicatesStoreOneMessage() throws Exception {
        String key = UUID.randomUUID().toString();
        int duplicates = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<InternalApi.Response>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < duplicates; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return send(anna, boris, "одно сообщение", key);
                }));
            }
            start.countDown();
            Set<String> ids = new HashSet<>();
            for (Future<InternalApi.Response> answer : answers) {
                var response = answer.get();
                assertThat(response.status()).as(response.body()).isEqualTo(200);
                ids.add(response.json().path("id").asString());
            }
            assertThat(ids).hasSize(1);
        }
        assertThat(stored(anna, boris)).isEqualTo(1);
    }

    @Test
    void keysPastTheRetentionArePurgedAndMayBeUsedAfresh() {
        String key = UUID.randomUUID().toString();
        String firstId = send(anna, boris, "давно", key).json().path("id").asString();
        DialogId dialog = DialogId.between(anna, boris);
        jdbc.sql("""
                update dialog_idempotency_keys set created_at = now() - interval '25 hours'
                 where dialog_id = :dialog and user_id = :user and idempotency_key = :key
                """).param("dialog", dialog.value()).param("user", anna).param("key", key).update();

        var again = send(anna, boris, "давно", key);
        assertThat(again.header("Idempotent-Replayed")).as("an expired key is unused").isNull();
        assertThat(again.json().path("id").asString()).isNotEqualTo(firstId);
        assertThat(stored(anna, boris)).isEqualTo(2);

        jdbc.sql("""
                update dialog_idempotency_keys set created_at = now() - interval '25 hours'
                 where dialog_id = :dialog and user_id = :user and idempotency_key = :key
                """).param("dialog", dialog.value()).param("user", anna).param("key", key).update();
        assertThat(keys.purgeExpired()).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.sql("""
                select count(*) from dialog_idempotency_keys
                 where dialog_id = :dialog and user_id = :user and idempotency_key = :key
                """).param("dialog", dialog.value()).param("user", anna).param("key", key)
                .query(Integer.class).single()).isZero();
    }

    private InternalApi.Response send(UUID user, UUID peer, String text, String key) {
        return api.exchange("POST", "/dialogs/" + peer + "/messages", JSON.writeValueAsString(Map.of("text", text)),
                "X-Gateway-Secret", InternalApi.SECRET, "X-User-Id", user.toString(), "Idempotency-Key", key);
    }

    private int stored(UUID user, UUID peer) {
        return jdbc.sql("select count(*)::int from dialog_messages where dialog_id = :dialog")
                .param("dialog", DialogId.between(user, peer).value()).query(Integer.class).single();
    }
}
