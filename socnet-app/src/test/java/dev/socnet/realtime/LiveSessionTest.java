package dev.socnet.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * A slow client: its socket blocks the first send; frames queue behind it up to the buffer limit, and
 * past it the connection is closed — while the caller never waits, so others keep being served.
 * (The socket is a stand-in: a peer that stops reading is what it imitates.)
 */
class LiveSessionTest {

    static final RealtimeProperties PROPERTIES = new RealtimeProperties(Duration.ofSeconds(20), Duration.ofSeconds(50),
            Duration.ofSeconds(5), 1024, Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(10),
            Duration.ofMinutes(1), 1000, 4, Duration.ofSeconds(5), new RealtimeProperties.Amqp("", 250));

    @Test
    void slowClientIsClosedOnceItsBufferIsFullAndNeverBlocksTheSender() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        WebSocketSession socket = mock(WebSocketSession.class);
        when(socket.getId()).thenReturn("slow");
        when(socket.isOpen()).thenReturn(true);
        doAnswer(call -> {
            stuck.await();
            return null;
        }).when(socket).sendMessage(any());
        LiveSession slow = new LiveSession(UUID.randomUUID(), socket, PROPERTIES, 0);
        TextMessage frame = new TextMessage("x".repeat(400));

        try (var sends = Executors.newVirtualThreadPerTaskExecutor()) {
            sends.execute(() -> slow.send(frame));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> verify(socket).sendMessage(any()));
            long started = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                slow.send(frame);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("queued, not blocked")
                    .isLessThan(Duration.ofSeconds(1));
            verify(socket).close(CloseStatus.SESSION_NOT_RELIABLE);
            stuck.countDown();
        }
    }

    @Test
    void aPostIsDeliveredOnceAndOnlyTheLatestPostIdsAreRemembered() {
        LiveSession session = new LiveSession(UUID.randomUUID(), mock(WebSocketSession.class), PROPERTIES, 0);
        UUID first = UUID.randomUUID();
        assertThat(session.firstDelivery(first)).isTrue();
        assertThat(session.firstDelivery(first)).isFalse();
        for (int i = 0; i < 4; i++) {
            session.firstDelivery(UUID.randomUUID());
        }
        assertThat(session.firstDelivery(first)).as("forgotten after 4 newer posts").isTrue();
    }
}
