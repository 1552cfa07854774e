package dev.socnet.feed;

/**
 * The RabbitMQ names of the fan-out: a durable topic exchange the relay publishes {@link FeedUpdate}s
 * to (routing keys {@code post.published|edited|deleted}) and the quorum queue of the fan-out
 * worker, bound with {@code post.*}. All app instances of one database share the queue (competing
 * consumers).
 *
 * <p>Unless configured, both names end with the name of the database they belong to, e.g.
 * {@code socnet.feed.fan-out.socnet}: a message names rows of one database, so only workers connected
 * to that database may consume it. Several databases share one RabbitMQ on a developer machine (the
 * running app's, and each test run's own), and without the database in the name a test run would
 * consume — and lose — the app's messages. Hosts and ports are left out: instances reach the same
 * database through different URLs (replica lists, a failover, a test's relay).
 *
 * @param exchange the exchange's name
 * @param queue    the queue's name
 */
record FanOutTopology(String exchange, String queue) {

    /** Routing key pattern of the binding: every kind of {@link FeedUpdate}. */
    static final String BINDING_PATTERN = "post.*";

    /**
     * @param amqp          configured names; blank ones are derived
     * @param datasourceUrl the primary's JDBC URL, e.g. {@code jdbc:postgresql://127.0.0.1:15432/socnet?x=y}
     */
    static FanOutTopology of(FeedProperties.Amqp amqp, String datasourceUrl) {
        String database = database(datasourceUrl);
        String exchange = isBlank(amqp.exchange()) ? "socnet.feed.posts." + database : amqp.exchange();
        String queue = isBlank(amqp.queue()) ? "socnet.feed.fan-out." + database : amqp.queue();
        return new FanOutTopology(exchange, queue);
    }

    /** {@code jdbc:postgresql://h1:p1,h2:p2/db?params} → {@code db}. */
    static String database(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        String url = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static boolean isBlank(String name) {
        return name == null || name.isBlank();
    }
}
