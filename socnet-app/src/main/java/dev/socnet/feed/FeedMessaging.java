package dev.socnet.feed;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.config.RetryInterceptorBuilder;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.amqp.autoconfigure.SimpleRabbitListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;

import tools.jackson.databind.json.JsonMapper;

/**
 * RabbitMQ set-up of the feed: the fan-out topology, JSON messages, and the fan-out worker's
 * listener container with its retries.
 */
@Configuration(proxyBeanMethods = false)
class FeedMessaging {

    /** Retries of one message in the worker before it is requeued: enough to ride out a short blip. */
    static final int MAX_RETRIES = 5;
    /** First pause before a retry; doubled each time: 0.2, 0.4, 0.8, 1.6, 3.2 s — about 6 s in all. */
    static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(200);
    /** Longest pause between two retries. */
    static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(FeedMessaging.class);

    @Bean
    FanOutTopology fanOutTopology(FeedProperties properties, @Value("${spring.datasource.url}") String datasourceUrl) {
        return FanOutTopology.of(properties.amqp(), datasourceUrl);
    }

    /**
     * Declared by Spring AMQP's admin whenever a connection opens: after a broker restart, or on another
     * node of the cluster after a node loss, too. The queue is a quorum queue: replicated on every node
     * of the RabbitMQ cluster (Raft), a message is confirmed to the relay once a majority holds it, and
     * the queue keeps serving while a majority of the nodes is up (RabbitMQ documentation, "Quorum
     * Queues"). A classic queue lives on one node and is gone with it.
     */
    @Bean
    Declarables fanOutDeclarables(FanOutTopology topology) {
        TopicExchange exchange = new TopicExchange(topology.exchange(), true, false);
        Queue queue = QueueBuilder.durable(topology.queue()).quorum().build();
        return new Declarables(exchange, queue,
                BindingBuilder.bind(queue).to(exchange).with(FanOutTopology.BINDING_PATTERN));
    }

    /** Messages as JSON with the API's naming (snake_case), for the template and the listeners. */
    @Bean
    MessageConverter jsonMessageConverter(JsonMapper json) {
        return new JacksonJsonMessageConverter(json);
    }

    /**
     * Container of the fan-out worker: Boot's {@code spring.rabbitmq.listener.simple.*} settings, then
     * {@code socnet.feed.amqp.consumers}/{@code prefetch}, and retries of transient failures (Redis or
     * PostgreSQL unavailable) with exponential back-off. A message that still fails is requeued, not
     * dropped, so a long Redis outage delays fan-out but loses nothing; a message that fails for any
     * other reason (a bug, a malformed message) is rejected and logged.
     */
    @Bean
    SimpleRabbitListenerContainerFactory fanOutContainerFactory(SimpleRabbitListenerContainerFactoryConfigurer configurer,
            ConnectionFactory connectionFactory, FeedProperties properties) {
        var factory = new SimpleRabbitListenerContainerFactory();
        configurer.configure(factory, connectionFactory);
        factory.setConcurrentConsumers(properties.amqp().consumers());
        factory.setMaxConcurrentConsumers(properties.amqp().consumers());
        factory.setPrefetchCount(properties.amqp().prefetch());
        factory.setAdviceChain(RetryInterceptorBuilder.stateless()
                .configureRetryPolicy(policy -> policy.maxRetries(MAX_RETRIES)
                        .delay(FIRST_RETRY_DELAY).multiplier(2).maxDelay(MAX_RETRY_DELAY)
                        .predicate(FeedMessaging::isTransient))
                .recoverer(FeedMessaging::recover)
                .build());
        return factory;
    }

    /** Redis or PostgreSQL unavailable, somewhere in the cause chain. */
    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TransientDataAccessException || t instanceof DataAccessResourceFailureException
                    || t instanceof RecoverableDataAccessException) {
                return true;
            }
        }
        return false;
    }

    private static void recover(Message message, Throwable failure) {
        if (isTransient(failure)) {
            log.warn("fan-out of {} still failing after {} retries, requeued: {}", body(message), MAX_RETRIES,
                    failure.getMessage());
            throw new ImmediateRequeueAmqpException("requeued after " + MAX_RETRIES + " retries", failure);
        }
        log.error("fan-out of {} failed, message dropped", body(message), failure);
        throw new AmqpRejectAndDontRequeueException("fan-out failed", failure);
    }

    private static String body(Message message) {
        return new String(message.getBody(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
