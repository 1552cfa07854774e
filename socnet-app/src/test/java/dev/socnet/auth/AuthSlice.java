package dev.socnet.auth;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;

/**
 * The app's security chain and JWT codec ({@link SecurityConfiguration}, with {@link Tokens} to sign test
 * tokens) for {@code @WebMvcTest} slices of other modules ({@code dev.socnet.web.WebSlice}).
 */
@TestConfiguration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableConfigurationProperties(AuthProperties.class)
@Import({SecurityConfiguration.class, Tokens.class})
public class AuthSlice {
}
