package dev.socnet.feed;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A server a test starts for itself on loopback ({@link ThrowawayRedis}, {@link ThrowawayRabbit}). A test
 * that stops and starts it drives it by hand; registered as a JUnit extension
 * ({@code @RegisterExtension static final}), it runs for the test class: started before its first test,
 * stopped after its last.
 */
public interface ThrowawayServer extends AutoCloseable, BeforeAllCallback, AfterAllCallback {

    /** Starts the server and waits until it accepts connections. */
    void start();

    /** Stops the server. */
    @Override
    void close();

    @Override
    default void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    default void afterAll(ExtensionContext context) {
        close();
    }
}
