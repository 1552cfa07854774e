package dev.socnet;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * An integration test: the whole application on a random port against the real PostgreSQL (and
 * Redis/RabbitMQ) that {@code ./socnet test} starts, database {@code socnet_test}
 * ({@code SOCNET_DB_URL}). No mocks.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "socnet.auth.jwt-secret=integration-tests-secret-at-least-32-bytes-long")
public @interface IntegrationTest {
}
