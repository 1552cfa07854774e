package dev.socnet.db;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Qualifies the read pool's {@code DataSource}/{@code JdbcClient}: read-only queries that tolerate
 * replication lag (profile reads, search, feed rebuilds). Unqualified beans are the primary's.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier("replica")
public @interface Replica {
}
