package dev.socnet.dialog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.socnet.ApiClient;
import dev.socnet.IntegrationTest;
import dev.socnet.feed.SocialApi.Account;
import dev.socnet.feed.SocialApiIntegration;

/**
 * Retry-safe sends through the gateway, against the real socnet-dialogs service: a send repeated with
 * its {@code Idempotency-Key} (as a client does after a lost answer or the gateway's 503) stores one
 * message; the key reused for another text is a 422 naming the header; a malformed key is a 400 naming
 * it and reaches no service. (The service's own behaviour, concurrency and purge included:
 * socnet-dialogs' DialogIdempotencyIT.)
 */
@IntegrationTest
class DialogRetryIT extends SocialApiIntegration {

    @Test
    void aRepeatedSendIsStoredOnce() {
        Account anna = social.register("Анна");
        Account boris = social.register("Борис");
        String key = UUID.randomUUID().toString();

        var first = send(anna, boris, "Ты где?", key);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        var repeat = send(anna, boris, "Ты где?", key);
        assertThat(repeat.status()).as(repeat.body()).isEqualTo(200);
        assertThat(repeat.header("Idempotent-Replayed")).isEqualTo("true");

        var list = api.get("/dialog/" + boris.id() + "/list", anna.auth());
        assertThat(list.json()).hasSize(1);
    }

    @Test
    void aKeyReusedForAnotherTextIs422AndAMalformedOne400() {
        Account anna = social.register("Анна");
        Account boris = social.register("Борис");
        String key = UUID.randomUUID().toString();
        assertThat(send(anna, boris, "первое", key).status()).isEqualTo(200);
        send(anna, boris, "второе", key).assertError(422, "Idempotency-Key");
        send(anna, boris, "третье", "k".repeat(256)).assertError(400, "Idempotency-Key");
        assertThat(api.get("/dialog/" + boris.id() + "/list", anna.auth()).json()).hasSize(1);
    }

    private ApiClient.Response send(Account from, Account to, String text, String key) {
        String[] auth = from.auth();
        return api.post("/dialog/" + to.id() + "/send", Map.of("text", text), auth[0], auth[1], "Idempotency-Key", key);
    }
}
