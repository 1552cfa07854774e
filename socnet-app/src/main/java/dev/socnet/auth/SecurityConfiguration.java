package dev.socnet.auth;

import java.nio.charset.StandardCharsets;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.web.SecurityFilterChain;

import com.nimbusds.jose.jwk.source.ImmutableSecret;

import dev.socnet.web.support.ErrorWriter;

/**
 * Which paths need a token (the contract's {@code bearerAuth}), and the JWT codec. Open: login,
 * registration, profile reads, search, post reads, health/metrics, the API docs and the web client's
 * static files ({@code GET /}, {@code /index.html}, {@code /app/**}). Everything else
 * needs {@code Authorization: Bearer <token>}; a missing or bad token gets 401, JSON, with the
 * request id.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    @ConditionalOnWebApplication
    SecurityFilterChain api(HttpSecurity http, ErrorWriter errors) throws Exception {
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .requestCache(c -> c.disable())
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(HttpMethod.POST, "/login", "/user/register").permitAll()
                        .requestMatchers(HttpMethod.GET, "/user/get/*", "/user/search", "/post/get/*").permitAll()
                        // the live feed's WebSocket handshake authenticates itself (header or ?token=)
                        .requestMatchers(HttpMethod.GET, "/post/feed/posted").permitAll()
                        // the web client's static files (static/index.html at "/", static/app/): it calls
                        // the API with the user's token like any other client
                        .requestMatchers(HttpMethod.GET, "/index.html", "/app/**").permitAll()
                        .requestMatchers("/actuator/**", "/error", "/swagger-ui.html", "/swagger-ui/**",
                                "/v3/api-docs/**", "/openapi.json", "/openapi-otus-1.2.0.json",
                                "/asyncapi-otus-1.0.0.json", "/", "/favicon.ico").permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(rs -> rs
                        .jwt(jwt -> { })
                        .authenticationEntryPoint((request, response, e) -> errors.write(request, response,
                                HttpStatus.UNAUTHORIZED, null, "a valid bearer token is required (POST /login)"))
                        .accessDeniedHandler((request, response, e) -> errors.write(request, response,
                                HttpStatus.FORBIDDEN, null, "forbidden")))
                .exceptionHandling(x -> x
                        .authenticationEntryPoint((request, response, e) -> errors.write(request, response,
                                HttpStatus.UNAUTHORIZED, null, "a valid bearer token is required (POST /login)")));
        return http.build();
    }

    @Bean
    SecretKey jwtKey(AuthProperties properties) {
        return new SecretKeySpec(properties.jwtSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /**
     * HS256 only (a token of {@code alg=none} or another algorithm is refused by Nimbus), with the
     * default checks of {@code exp}/{@code nbf} plus: issued by us ({@code iss} = {@value Tokens#ISSUER})
     * and naming a user by id ({@code sub} a UUID), so that a bad token is a 401 at the door rather than
     * an error in a controller that reads the caller's id.
     */
    @Bean
    JwtDecoder jwtDecoder(SecretKey jwtKey) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(jwtKey).macAlgorithm(MacAlgorithm.HS256).build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(Tokens.ISSUER),
                new JwtClaimValidator<String>(JwtClaimNames.SUB, Tokens::isUserId)));
        return decoder;
    }

    @Bean
    JwtEncoder jwtEncoder(SecretKey jwtKey) {
        return new NimbusJwtEncoder(new ImmutableSecret<>(jwtKey));
    }

    /** BCrypt with Spring Security's default cost (10, ~2^10 rounds). */
    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }
}
