package dev.socnet.realtime;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.socnet.SocnetApplication;

/**
 * One app instance in the test JVM: the whole application on a random port, against the same
 * PostgreSQL, Redis and RabbitMQ as every other instance of the test ({@code SOCNET_*} environment of
 * {@code ./socnet test}). Two of them are what HAProxy balances in production.
 */
final class LiveInstance implements AutoCloseable {

    static final String JWT_SECRET = "integration-tests-secret-at-least-32-bytes-long";

    private final ConfigurableApplicationContext context;

    private LiveInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Starts an instance; {@code properties} like {@code "socnet.realtime.ping-interval=1s"} override application.yml. */
    static LiveInstance start(String... properties) {
        // as command-line arguments: they outrank application.yml and the SOCNET_* environment
        List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--socnet.auth.jwt-secret=" + JWT_SECRET));
        for (String property : properties) {
            arguments.add("--" + property);
        }
        return new LiveInstance(new SpringApplicationBuilder(SocnetApplication.class).run(arguments.toArray(String[]::new)));
    }

    int port() {
        return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    }

    /** This instance as a backend of a {@link dev.socnet.ScriptedHaproxy}. */
    dev.socnet.ScriptedHaproxy.Backend backend() {
        return new dev.socnet.ScriptedHaproxy.Backend(port(), managementPort());
    }

    /** The instance's actuator port on loopback (a random one: management.server.port 0). */
    int managementPort() {
        return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.management.port"));
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    <T> T bean(String name, Class<T> type) {
        return context.getBean(name, type);
    }

    boolean isRunning() {
        return context.isActive();
    }

    /** Stops the context's lifecycle beans (web server, listeners, live connections) without closing it. */
    void stopLifecycle() {
        context.stop();
    }

    /** Starts them again after {@link #stopLifecycle()}, as Spring does with a paused context. */
    void startLifecycle() {
        context.start();
    }

    /** Stops the instance the way an operator does (graceful shutdown): its connections close. */
    @Override
    public void close() {
        if (context.isActive()) {
            context.close();
        }
    }
}
