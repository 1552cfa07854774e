package dev.socnet.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.Test;

import dev.socnet.ApiClient;
import dev.socnet.feed.SocialApi;
import dev.socnet.feed.SocialApi.Account;

/**
 * An instance whose context is stopped and started again (Spring's {@code Lifecycle}: what the test
 * framework does to a cached context it pauses, and what an operator's stop/start of the context does)
 * closes its live connections with 1001 on the stop, and after the start delivers live frames to new
 * connections. Before the fix the stop shut the send executor down for good: every later frame was
 * dropped with a RejectedExecutionException.
 */
class LiveFeedLifecycleIT {

    @Test
    void anInstanceStoppedAndStartedAgainStillDeliversLiveFrames() {
        try (LiveInstance instance = LiveInstance.start()) {
            SocialApi api = new SocialApi(new ApiClient(instance.port()));
            Account author = api.register("Автор");
            Account reader = api.register("Читатель");
            api.follow(reader, author);
            try (var before = LiveFeedClient.connect(instance.port(), reader.token())) {
                RealtimeIT.awaitConnected(instance, reader);
                instance.stopLifecycle();
                await().atMost(RealtimeIT.DELIVERY).until(() -> before.serverCloseCode() == 1001);
            }

            instance.startLifecycle();

            SocialApi restarted = new SocialApi(new ApiClient(instance.port()));
            try (var after = LiveFeedClient.connect(instance.port(), reader.token())) {
                RealtimeIT.awaitConnected(instance, reader);
                String post = restarted.post(author, "после остановки и запуска");
                await().atMost(RealtimeIT.DELIVERY).untilAsserted(() -> assertThat(after.count(post)).isEqualTo(1));
            }
        }
    }
}
