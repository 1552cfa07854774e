package dev.socnet.dialogs;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
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

    public static void main(String[] args) {
        SpringApplication.run(DialogsApplication.class, args);
    }
}
