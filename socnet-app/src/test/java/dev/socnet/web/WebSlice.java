package dev.socnet.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.core.annotation.AliasFor;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

import dev.socnet.auth.AuthSlice;
import dev.socnet.web.support.WebSupportAutoConfiguration;

/**
 * A {@code @WebMvcTest} slice of the socnet controllers named in {@link #value()}, with what such a slice
 * needs besides the controller: the shared request
 * id filter and error writer (socnet-web-support), the app's JSON mapper (snake_case, unknown fields
 * refused), and the real security chain with its JWT codec ({@link AuthSlice}), so that the slice answers
 * bad requests exactly as the running app does: same status, same JSON error body, same headers. No
 * database, broker or cache: a slice runs under {@code ./mvnw test} without the cluster.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@WebMvcTest
@ImportAutoConfiguration(WebSupportAutoConfiguration.class)
@Import({JsonConfiguration.class, AuthSlice.class})
@TestPropertySource(properties = "socnet.auth.jwt-secret=" + BadRequests.JWT_SECRET)
public @interface WebSlice {

    /** The controllers under test. */
    @AliasFor(annotation = WebMvcTest.class, attribute = "controllers")
    Class<?>[] value();
}
