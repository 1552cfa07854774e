package dev.socnet.realtime;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.core.AmqpAdmin;

import com.rabbitmq.client.Channel;

/**
 * The bindings of this instance's queue, counted: a routing key is bound when its first holder
 * acquires it and unbound when its last holder releases it. {@code user.{id}} is held by each open
 * connection of that user here; {@code author.{id}} by each connected user here who follows that
 * celebrity.
 *
 * <p>The queue is exclusive, so a broker restart (or a lost connection) takes it and its bindings
 * away; when Spring AMQP opens a new connection, this re-declares the queue and every
 * binding held at that moment.
 */
class InstanceBindings implements ConnectionListener {

    private static final Logger log = LoggerFactory.getLogger(InstanceBindings.class);

    private final AmqpAdmin admin;
    private final RealtimeTopology topology;
    private final Map<String, Integer> holders = new ConcurrentHashMap<>();

    InstanceBindings(ConnectionFactory connectionFactory, AmqpAdmin admin, RealtimeTopology topology) {
        this.admin = admin;
        this.topology = topology;
        connectionFactory.addConnectionListener(this);
    }

    /**
     * One more holder of {@code routingKey}; binds it when it is the first.
     *
     * @throws org.springframework.amqp.AmqpException when RabbitMQ is unreachable (the count is unchanged)
     */
    void acquire(String routingKey) {
        holders.compute(routingKey, (key, count) -> {
            if (count == null) {
                admin.declareBinding(binding(key));
                return 1;
            }
            return count + 1;
        });
    }

    /** One holder fewer; unbinds {@code routingKey} after its last. A failed unbind is logged: the key
     * only costs a few extra messages, and goes with the queue. */
    void release(String routingKey) {
        holders.computeIfPresent(routingKey, (key, count) -> {
            if (count > 1) {
                return count - 1;
            }
            try {
                admin.removeBinding(binding(key));
            } catch (RuntimeException e) {
                log.warn("unbinding {} failed: {}", key, e.getMessage());
            }
            return null;
        });
    }

    /** Routing keys bound now (for metrics and tests). */
    int boundKeys() {
        return holders.size();
    }

    /** A new connection to RabbitMQ: the queue may be gone, so declare it and bind every held key again. */
    @Override
    public void onCreate(Connection connection) {
        try (Channel channel = connection.createChannel(false)) {
            channel.exchangeDeclare(topology.exchange(), "topic", true);
            channel.exchangeDeclare(topology.deadLetters(), "fanout", true);
            channel.queueDeclare(topology.queue(), false, true, false, topology.queueArguments());
            for (String key : holders.keySet()) {
                channel.queueBind(topology.queue(), topology.exchange(), key);
            }
            if (!holders.isEmpty()) {
                log.info("re-bound {} routing keys of {} on a new RabbitMQ connection", holders.size(), topology.queue());
            }
        } catch (IOException | java.util.concurrent.TimeoutException e) {
            log.warn("re-declaring {} failed: {}", topology.queue(), e.getMessage());
        }
    }

    private Binding binding(String routingKey) {
        return new Binding(topology.queue(), Binding.DestinationType.QUEUE, topology.exchange(), routingKey, null);
    }
}
