package dev.socnet;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The socnet application: serves the HTTP API. The operator's one-shot data commands ({@code seed},
 * {@code seed-graph}, {@code import}) are not part of it: they live in the socnet-tools module
 * ({@code dev.socnet.seed.SocnetTools}, docs/seed.md), which starts this application's context
 * without a web server.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SocnetApplication {

    public static void main(String[] args) {
        SpringApplication.run(SocnetApplication.class, args);
    }
}
