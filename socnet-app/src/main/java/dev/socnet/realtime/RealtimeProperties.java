package dev.socnet.realtime;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code socnet.realtime.*}: timings and limits of the live feed (values and their reasons:
 * application.yml, the block "Live feed").
 *
 * @param pingInterval                 a ping frame goes to every connection this often
 * @param pongTimeout                  a connection that has not answered a ping (nor sent anything) for
 *                                     this long is closed as dead (1006-like: closed with 1001)
 * @param sendTimeLimit                a single send to a connection may block this long; a connection
 *                                     that stays blocked longer is closed (slow client)
 * @param sendBufferSizeLimitBytes     frames queued for a connection while a send blocks, in bytes; a
 *                                     connection that exceeds it is closed (slow client)
 * @param presenceTtl                  an instance's set of online users in Redis expires this long after
 *                                     its last heartbeat (an instance that died stops counting)
 * @param presenceHeartbeatInterval    how often an instance refreshes its online set; well below the TTL
 * @param celebrityRefreshInterval     how often an instance re-reads which celebrities its connected
 *                                     users follow (picks up crownings; follows are applied at once);
 *                                     shorter than the feed's {@code socnet.feed.celebrity-grace}, during
 *                                     which a new celebrity's posts go to the followers' keys as well as
 *                                     to {@code author.{id}}, so no instance misses a post while it rebinds
 * @param fanOutBatchSize              followers read from PostgreSQL and checked for presence at a time
 * @param recentPostsPerConnection     post ids remembered per connection to drop duplicates (a post
 *                                     relayed twice, or sent both ways during the grace)
 * @param confirmTimeout               how long the fan-out waits for RabbitMQ's publisher confirms
 * @param maxConnectionsPerUser        open connections one user may hold on one instance; a further one
 *                                     closes that user's oldest here with 1008 (policy violation)
 * @param amqp                         RabbitMQ names and the instance queue's consumer
 */
@Validated
@ConfigurationProperties("socnet.realtime")
record RealtimeProperties(
        @NotNull Duration pingInterval,
        @NotNull Duration pongTimeout,
        @NotNull Duration sendTimeLimit,
        @Min(1024) int sendBufferSizeLimitBytes,
        @NotNull Duration presenceTtl,
        @NotNull Duration presenceHeartbeatInterval,
        @NotNull Duration celebrityRefreshInterval,
        @Min(1) int fanOutBatchSize,
        @Min(1) int recentPostsPerConnection,
        @NotNull Duration confirmTimeout,
        @Min(1) int maxConnectionsPerUser,
        @Valid @NotNull Amqp amqp) {

    /**
     * @param exchange              topic exchange of the live feed; blank: {@code socnet.realtime.<database>}
     * @param prefetch              unacknowledged messages of the instance queue's consumer
     * @param queueMaxLength        messages an instance queue holds ready for its consumer; past it the
     *                              oldest is dropped (and counted)
     * @param queueMaxLengthBytes   bytes of message bodies an instance queue holds, likewise
     * @param deadLetterMaxLength   dropped messages waiting to be counted; past it the oldest is
     *                              dropped uncounted
     * @param recoveryInterval      how long the instance queue's consumer waits before it consumes again on
     *                              a new connection after losing its own (its RabbitMQ node lost or
     *                              restarted); the live feed of this instance's sockets is silent that long
     */
    record Amqp(String exchange, @Min(1) int prefetch, @Min(1) int queueMaxLength, @Min(1024) long queueMaxLengthBytes,
            @Min(1) int deadLetterMaxLength, @NotNull Duration recoveryInterval) {
    }
}
