package dev.socnet.db;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The primary pool ({@code spring.datasource.*}, used by Flyway, transactions and every unqualified
 * {@link JdbcClient}) and the {@link Replica} read pool ({@code socnet.datasource.replica.*}, same
 * credentials, its own URL and size). Without replicas the replica URL defaults to the primary's.
 */
@Configuration(proxyBeanMethods = false)
class DataSourceConfiguration {

    @Bean
    @Primary
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(DataSourceProperties properties) {
        return properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
    }

    @Bean
    @Primary
    JdbcClient jdbcClient(DataSource dataSource) {
        return JdbcClient.create(dataSource);
    }

    @Bean
    @Replica
    @ConfigurationProperties("socnet.datasource.replica.hikari")
    HikariDataSource replicaDataSource(DataSourceProperties properties,
            org.springframework.core.env.Environment env) {
        HikariDataSource replica = properties.initializeDataSourceBuilder().type(HikariDataSource.class)
                .url(env.getProperty("socnet.datasource.replica.url", properties.getUrl()))
                .build();
        replica.setPoolName("replica");
        return replica;
    }

    @Bean
    @Replica
    JdbcClient replicaJdbcClient(@Replica DataSource replicaDataSource) {
        return JdbcClient.create(replicaDataSource);
    }
}
