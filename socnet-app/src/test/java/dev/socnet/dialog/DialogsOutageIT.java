package dev.socnet.dialog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.socnet.ApiClient;
import dev.socnet.LoopbackProxy;
import dev.socnet.feed.SocialApi;
import dev.socnet.feed.SocialApi.Account;

/**
 * The dialogs service goes away under a running gateway (a relay in front of the real service is cut):
 * sending and listing get 503 with {@code Retry-After} and the JSON error with the request id, not a
 * 500 or a hang; the rest of the API keeps working.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "socnet.auth.jwt-secret=integration-tests-secret-at-least-32-bytes-long")
class DialogsOutageIT {

    private static final LoopbackProxy PROXY = LoopbackProxy.toPortOf("SOCNET_DIALOGS_PORT", 18090);

    @DynamicPropertySource
    static void dialogsService(DynamicPropertyRegistry registry) {
        registry.add("socnet.dialogs.url", () -> "http://127.0.0.1:" + PROXY.port());
    }

    @AfterAll
    static void closeProxy() {
        PROXY.close();
    }

    @LocalServerPort
    int port;

    @Test
    void dialogsServiceDownIs503WithRetryAfter() {
        var api = new ApiClient(port);
        var social = new SocialApi(api);
        Account anna = social.register("Анна");
        Account boris = social.register("Борис");
        String send = "/dialog/" + boris.id() + "/send";
        String list = "/dialog/" + boris.id() + "/list";
        assertThat(api.post(send, Map.of("text", "до обрыва"), anna.auth()).status()).isEqualTo(200);

        PROXY.cut();

        var refused = api.post(send, Map.of("text", "после обрыва"),
                "Authorization", "Bearer " + anna.token(), "X-Request-Id", "dialogs-outage-1");
        refused.assertError(503, null);
        assertThat(refused.header("Retry-After")).isEqualTo("5");
        assertThat(refused.json().path("request_id").asString()).isEqualTo("dialogs-outage-1");
        assertThat(refused.body()).doesNotContain("Exception").doesNotContain("127.0.0.1");

        var unlisted = api.get(list, anna.auth());
        unlisted.assertError(503, null);
        assertThat(unlisted.header("Retry-After")).isEqualTo("5");

        assertThat(api.get("/user/get/" + boris.id()).status()).as("the rest of the API is unaffected").isEqualTo(200);
    }
}
