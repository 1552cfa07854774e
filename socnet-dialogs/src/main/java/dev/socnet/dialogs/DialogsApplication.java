package dev.socnet.dialogs;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * socnet-dialogs: one-to-one messages, stored in {@code dialog_messages} on the dialog coordinator
 * (PostgreSQL, hash-partitioned by dialog id over worker nodes). Serves an internal REST API on
 * 127.0.0.1 ({@link DialogController}) to the socnet app, which authenticates users and forwards
 * their id ("monolith as gateway"); every request must carry the shared gateway secret
 * ({@link GatewaySecretFilter}). Started by {@code ./socnet up} (scripts/lib/dialogs.sh).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class DialogsApplication {

    private static final Logger log = LoggerFactory.getLogger(DialogsApplication.class);

    public static void main(String[] args) {
        SpringApplication.run(DialogsApplication.class, args);
    }

    /**
     * Opens the coordinator's connection pool at start. Hikari opens it lazily, on the first request,
     * and on a busy machine that took 7 s — past the gateway's read timeout, so the first dialog request
     * after a start answered 503. A coordinator that is down is only logged here: requests then answer
     * 503 until it is back, as they would anyway.
     */
    @Bean
    ApplicationRunner openCoordinatorPool(DataSource dataSource) {
        return arguments -> {
            try (Connection connection = dataSource.getConnection()) {
                log.info("coordinator pool open ({})", connection.getMetaData().getURL());
            } catch (SQLException e) {
                log.warn("coordinator unreachable at start, requests answer 503 until it is back: {}", e.getMessage());
            }
        };
    }
}
