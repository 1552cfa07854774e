package dev.socnet.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.socnet.ApiClient;
import dev.socnet.feed.SocialApi;
import dev.socnet.feed.SocialApi.Account;
import tools.jackson.databind.json.JsonMapper;

/**
 * An open live-feed connection does not outlive its token: once the token's {@code exp} has passed,
 * the server closes the connection with 1008 (policy violation) within one ping interval, never
 * before the expiry. Tokens here live 10 s ({@code socnet.auth.token-ttl}), pings run every 500 ms.
 */
class TokenExpiryIT {

    static final Duration TOKEN_TTL = Duration.ofSeconds(10);
    /** Longest wait for the close after the expiry: the ping interval plus a busy machine's slack. */
    static final Duration CLOSE_AFTER_EXPIRY = Duration.ofSeconds(20);

    @Test
    void theServerClosesAConnectionWhenItsTokenExpires() {
        try (LiveInstance instance = LiveInstance.start("socnet.auth.token-ttl=PT10S",
                "socnet.realtime.ping-interval=500ms")) {
            SocialApi api = new SocialApi(new ApiClient(instance.port()));
            Account reader = api.register("Читатель");
            long expiresAtMillis = expiresAtMillis(reader.token());

            try (LiveFeedClient client = LiveFeedClient.connect(instance.port(), reader.token())) {
                RealtimeIT.awaitConnected(instance, reader);
                await().atMost(TOKEN_TTL.plus(CLOSE_AFTER_EXPIRY))
                        .until(() -> client.serverCloseCode() != 0);
                assertThat(client.serverCloseCode()).as("close status").isEqualTo(1008);
                assertThat(client.serverClosedAtMillis()).as("closed only once the token expired")
                        .isGreaterThanOrEqualTo(expiresAtMillis);
                await().atMost(CLOSE_AFTER_EXPIRY).untilAsserted(() ->
                        assertThat(instance.bean(LiveConnections.class).connectedFollowers())
                                .doesNotContain(UUID.fromString(reader.id())));
            }
        }
    }

    /** The token's {@code exp} claim (Unix seconds) in ms. */
    private static long expiresAtMillis(String jwt) {
        String claims = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        return JsonMapper.builder().build().readTree(claims).path("exp").asLong() * 1000;
    }
}
