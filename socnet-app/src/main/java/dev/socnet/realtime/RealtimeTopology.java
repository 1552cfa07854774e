package dev.socnet.realtime;

import java.util.UUID;

/**
 * The names the live feed uses in RabbitMQ and Redis, all carrying the database's name: a message or a
 * presence entry names users of one database, and several databases share the brokers on a developer
 * machine (the running app's and each test run's) — the convention of the feed module's fan-out.
 *
 * @param exchange    durable topic exchange, e.g. {@code socnet.realtime.socnet}; routing keys
 *                    {@code user.{id}} and {@code author.{id}}
 * @param queue       this instance's exclusive, auto-delete queue: {@code <exchange>.<instanceId>}
 * @param redisPrefix prefix of the presence keys, e.g. {@code socnet:realtime:socnet:}
 * @param instanceId  random id of this app instance, fresh at every start
 */
record RealtimeTopology(String exchange, String queue, String redisPrefix, UUID instanceId) {

    static final String USER_KEY_PREFIX = "user.";
    static final String AUTHOR_KEY_PREFIX = "author.";

    /**
     * @param configuredExchange blank: derived from the database
     * @param datasourceUrl      the primary's JDBC URL, e.g. {@code jdbc:postgresql://h1:p1,h2:p2/socnet?x=y}
     */
    static RealtimeTopology of(String configuredExchange, String datasourceUrl, UUID instanceId) {
        String database = database(datasourceUrl);
        String exchange = configuredExchange == null || configuredExchange.isBlank()
                ? "socnet.realtime." + database : configuredExchange;
        return new RealtimeTopology(exchange, exchange + "." + instanceId, "socnet:realtime:" + database + ":",
                instanceId);
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
