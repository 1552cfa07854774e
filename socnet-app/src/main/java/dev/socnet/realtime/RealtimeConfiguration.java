package dev.socnet.realtime;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import tools.jackson.databind.json.JsonMapper;

import dev.socnet.feed.CelebrityDirectory;
import dev.socnet.friend.FollowGraph;
import dev.socnet.post.PostCatalog;
import dev.socnet.web.support.ErrorWriter;

/**
 * Wiring of the live feed (server process only): the WebSocket endpoint {@code /post/feed/posted},
 * this instance's RabbitMQ queue and its consumer, presence heartbeats, pings and the periodic
 * re-reading of followed celebrities.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
@EnableWebSocket
@EnableScheduling
@EnableConfigurationProperties(RealtimeProperties.class)
class RealtimeConfiguration {

    /** The channel of the AsyncAPI contract. */
    static final String PATH = "/post/feed/posted";

    private static final Logger log = LoggerFactory.getLogger(RealtimeConfiguration.class);

    /**
     * The endpoint. Any origin may connect: the token, not a cookie, authenticates, so a foreign page
     * gains nothing (no cross-site WebSocket hijacking).
     */
    @Bean
    WebSocketConfigurer liveFeedEndpoint(LiveFeedHandler handler, HandshakeAuthentication authentication) {
        return registry -> registry.addHandler(handler, PATH)
                .addInterceptors(authentication)
                .setAllowedOriginPatterns("*");
    }

    @Bean
    RealtimeTopology realtimeTopology(RealtimeProperties properties, @Value("${spring.datasource.url}") String datasourceUrl) {
        return RealtimeTopology.of(properties.amqp(), datasourceUrl, UUID.randomUUID());
    }

    /**
     * The exchange, this instance's exclusive, bounded queue, and the dead-letter exchange and queue
     * that take what a full instance queue drops; declared on every new connection. The instance queue
     * is not auto-delete: a stopped consumer (a paused context) leaves it, and its bindings, in place,
     * filling up to its bound; it goes with the instance's connection.
     */
    @Bean
    Declarables realtimeDeclarables(RealtimeTopology topology) {
        FanoutExchange deadLetters = new FanoutExchange(topology.deadLetters(), true, false);
        Queue deadLetterQueue = new Queue(topology.deadLetters(), true, false, false, topology.deadLetterArguments());
        return new Declarables(new TopicExchange(topology.exchange(), true, false),
                deadLetters, deadLetterQueue, BindingBuilder.bind(deadLetterQueue).to(deadLetters),
                new Queue(topology.queue(), false, true, false, topology.queueArguments()));
    }

    /**
     * Counts what full instance queues dropped: consumes the shared dead-letter queue (competing with
     * the other instances) and increments {@code socnet.realtime.overflow} (Prometheus
     * {@code socnet_realtime_overflow_total}) per message, tagged with the broker's death reason
     * ({@code maxlen} for a full queue). Sum it over the instances.
     */
    @Bean
    SimpleMessageListenerContainer realtimeDeadLetterContainer(ConnectionFactory connectionFactory, RealtimeTopology topology,
            RealtimeProperties properties, MeterRegistry meters) {
        var container = new SimpleMessageListenerContainer(connectionFactory);
        container.setRecoveryInterval(properties.amqp().recoveryInterval().toMillis());
        container.setQueueNames(topology.deadLetters());
        container.setAcknowledgeMode(AcknowledgeMode.AUTO);
        container.setPrefetchCount(250);
        container.setMissingQueuesFatal(false);
        container.setMessageListener(message -> {
            Object reason = message.getMessageProperties().getHeaders().get("x-first-death-reason");
            Counter.builder("socnet.realtime.overflow")
                    .description("live feed messages dropped by a full instance queue (x-max-length, drop-head)")
                    .tag("reason", reason == null ? "unknown" : reason.toString())
                    .register(meters).increment();
        });
        return container;
    }

    @Bean
    InstanceBindings instanceBindings(ConnectionFactory connectionFactory, AmqpAdmin admin, RealtimeTopology topology) {
        return new InstanceBindings(connectionFactory, admin, topology);
    }

    @Bean
    OnlinePresence onlinePresence(StringRedisTemplate redis, RealtimeTopology topology, RealtimeProperties properties) {
        return new OnlinePresence(redis, topology, properties, Clock.systemUTC());
    }

    @Bean
    LiveConnections liveConnections(InstanceBindings bindings, OnlinePresence presence, CelebrityDirectory celebrities,
            JsonMapper json, RealtimeProperties properties, MeterRegistry meters) {
        return new LiveConnections(bindings, presence, celebrities, json, Clock.systemUTC(), properties, meters);
    }

    @Bean
    LiveFeedHandler liveFeedHandler(LiveConnections connections, RealtimeProperties properties) {
        return new LiveFeedHandler(connections, properties, Clock.systemUTC());
    }

    @Bean
    HandshakeAuthentication handshakeAuthentication(JwtDecoder jwts, ErrorWriter errors) {
        return new HandshakeAuthentication(jwts, errors);
    }

    @Bean
    LiveFanOut liveFanOut(RabbitTemplate rabbit, RealtimeTopology topology, RealtimeProperties properties,
            FollowGraph graph, PostCatalog posts, CelebrityDirectory celebrities, OnlinePresence presence, JsonMapper json,
            MeterRegistry meters) {
        return new LiveFanOut(rabbit, topology, properties, graph, posts, celebrities, presence, json, meters);
    }

    /**
     * Consumer of this instance's queue: one thread that parses each message and hands its frames to
     * virtual threads (so it never waits for a client); acknowledged after the hand-off.
     */
    @Bean
    SimpleMessageListenerContainer realtimeListenerContainer(ConnectionFactory connectionFactory, RealtimeTopology topology,
            RealtimeProperties properties, LiveConnections connections, JsonMapper json) {
        var container = new SimpleMessageListenerContainer(connectionFactory);
        // a lost connection (its RabbitMQ node gone): consume again this soon, on a new connection to
        // another node, where InstanceBindings has declared the queue and its bindings again
        container.setRecoveryInterval(properties.amqp().recoveryInterval().toMillis());
        container.setQueueNames(topology.queue());
        container.setExclusive(true);
        container.setAcknowledgeMode(AcknowledgeMode.AUTO);
        container.setPrefetchCount(properties.amqp().prefetch());
        container.setMissingQueuesFatal(false);
        container.setMessageListener(message -> {
            String routingKey = message.getMessageProperties().getReceivedRoutingKey();
            try {
                LiveUpdate update = json.readValue(new String(message.getBody(), StandardCharsets.UTF_8), LiveUpdate.class);
                connections.deliver(routingKey, update);
            } catch (RuntimeException e) {
                log.error("live update with routing key {} dropped", routingKey, e);
            }
        });
        return container;
    }

    /** Presence heartbeats, pings and celebrity re-reads; leaves presence and closes connections on shutdown. */
    @Bean
    RealtimeSchedule realtimeSchedule(LiveConnections connections, OnlinePresence presence) {
        return new RealtimeSchedule(connections, presence);
    }

    /**
     * The live feed's periodic work. Stops before the web server (a higher phase than Boot's graceful
     * shutdown), so clients get 1001 and reconnect elsewhere while this instance drains.
     */
    static class RealtimeSchedule implements SmartLifecycle {

        private final LiveConnections connections;
        private final OnlinePresence presence;
        private volatile boolean running;

        RealtimeSchedule(LiveConnections connections, OnlinePresence presence) {
            this.connections = connections;
            this.presence = presence;
        }

        @Scheduled(fixedDelayString = "${socnet.realtime.presence-heartbeat-interval}")
        void heartbeat() {
            if (running) {
                presence.heartbeat(connections.connectedFollowers());
            }
        }

        @Scheduled(fixedDelayString = "${socnet.realtime.ping-interval}", initialDelayString = "${socnet.realtime.ping-interval}")
        void ping() {
            if (running) {
                connections.pingAll();
            }
        }

        @Scheduled(fixedDelayString = "${socnet.realtime.celebrity-refresh-interval}",
                initialDelayString = "${socnet.realtime.celebrity-refresh-interval}")
        void refollow() {
            if (running) {
                try {
                    connections.refollowAll();
                } catch (RuntimeException e) {
                    log.warn("re-reading followed celebrities failed: {}", e.getMessage());
                }
            }
        }

        @Override
        public void start() {
            running = true;
            presence.heartbeat(connections.connectedFollowers());
        }

        @Override
        public void stop() {
            running = false;
            presence.leaveAll();
            connections.closeAll();
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return Integer.MAX_VALUE;
        }
    }
}
