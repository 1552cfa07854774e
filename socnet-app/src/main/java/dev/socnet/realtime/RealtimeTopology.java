package dev.socnet.realtime;

import java.util.Map;
import java.util.UUID;

/**
 * The names the live feed uses in RabbitMQ and Redis, all carrying the database's name: a message or a
 * presence entry names users of one database, and several databases share the brokers on a developer
 * machine (the running app's and each test run's) — the convention of the feed module's fan-out.
 *
 * @param exchange    durable topic exchange, e.g. {@code socnet.realtime.socnet}; routing keys
 *                    {@code user.{id}} and {@code author.{id}}
 * @param queue       this instance's exclusive queue: {@code <exchange>.<instanceId>}, bounded (see
 *                    {@link #queueArguments}); a classic queue on the node the instance is connected to,
 *                    declared again (with its bindings) on another node when that one is lost
 * @param deadLetters fanout exchange and queue ({@code <exchange>.dead-letters}, shared by the instances)
 *                    that take the messages a full instance queue drops, to be counted
 * @param redisPrefix prefix of the presence keys, e.g. {@code socnet:realtime:socnet:}
 * @param instanceId  random id of this app instance, fresh at every start
 * @param limits      bounds of the instance queue and the dead-letter queue
 */
record RealtimeTopology(String exchange, String queue, String deadLetters, String redisPrefix, UUID instanceId,
        RealtimeProperties.Amqp limits) {

    static final String USER_KEY_PREFIX = "user.";
    static final String AUTHOR_KEY_PREFIX = "author.";

    /**
     * @param configuredExchange blank: derived from the database
     * @param datasourceUrl      the primary's JDBC URL, e.g. {@code jdbc:postgresql://h1:p1,h2:p2/socnet?x=y}
     */
    static RealtimeTopology of(RealtimeProperties.Amqp amqp, String datasourceUrl, UUID instanceId) {
        String database = database(datasourceUrl);
        String exchange = amqp.exchange() == null || amqp.exchange().isBlank()
                ? "socnet.realtime." + database : amqp.exchange();
        return new RealtimeTopology(exchange, exchange + "." + instanceId, exchange + ".dead-letters",
                "socnet:realtime:" + database + ":", instanceId, amqp);
    }

    /**
     * Arguments of the instance queue: at most {@code queue-max-length} messages and
     * {@code queue-max-length-bytes} of bodies ready for the consumer; past either the broker drops
     * the <em>oldest</em> ({@code x-overflow=drop-head}) into {@link #deadLetters}. Drop-head rather
     * than reject-publish: a publish into a full queue is still confirmed, so a stalled instance never
     * fails or slows the fan-out's publishes (with reject-publish the broker nacks them, the outbox
     * publication fails and is retried, re-sending to every follower, for as long as the queue stays
     * full); and a live feed keeps the newest posts, the ones a client that falls behind most wants —
     * it reads older ones with {@code GET /post/feed}. See the RabbitMQ documentation, "Queue Length
     * Limit".
     */
    Map<String, Object> queueArguments() {
        return Map.of("x-max-length", limits.queueMaxLength(),
                "x-max-length-bytes", limits.queueMaxLengthBytes(),
                "x-overflow", "drop-head",
                "x-dead-letter-exchange", deadLetters);
    }

    /**
     * Arguments of the dead-letter queue: a quorum queue (shared by the instances and durable, so it must
     * outlive the loss of any one RabbitMQ node: a classic durable queue whose node is down cannot be
     * declared, and the failed declaration would stop the instance's reconnection), bounded too
     * ({@code dead-letter-max-length}, oldest dropped without a trace), so counting can fall behind
     * without the broker's memory growing.
     */
    Map<String, Object> deadLetterArguments() {
        return Map.of("x-queue-type", "quorum", "x-max-length", limits.deadLetterMaxLength(), "x-overflow", "drop-head");
    }

    /** {@code jdbc:postgresql://h1:p1,h2:p2/db?params} → {@code db}. */
    static String database(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        String url = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /** Routing key of the messages for one follower's connections: {@code user.{id}}. */
    static String followerKey(UUID userId) {
        return USER_KEY_PREFIX + userId;
    }

    /** Routing key of a celebrity's posts: {@code author.{id}}. */
    static String authorKey(UUID authorId) {
        return AUTHOR_KEY_PREFIX + authorId;
    }
}
