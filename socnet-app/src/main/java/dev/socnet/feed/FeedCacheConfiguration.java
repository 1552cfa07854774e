package dev.socnet.feed;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.Delay;

/**
 * The Redis client as a cache wants it. Connect and command timeouts are short
 * ({@code spring.data.redis.connect-timeout}/{@code timeout}, 500 ms in application.yml); while the
 * connection is down, commands fail at once instead of waiting for the reconnect, so a feed read
 * goes to PostgreSQL without delay; and reconnect attempts stay frequent, so the cache is used again
 * soon after Redis returns.
 */
@Configuration(proxyBeanMethods = false)
class FeedCacheConfiguration {

    /** First reconnect attempt after a disconnect; doubled per failed attempt up to the next bound. */
    static final Duration FIRST_RECONNECT_DELAY = Duration.ofMillis(100);
    /** Longest pause between reconnect attempts (Lettuce's default is 30 s). */
    static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(2);

    @Bean
    LettuceClientOptionsBuilderCustomizer failFastWhileDisconnected() {
        return options -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    }

    @Bean
    ClientResourcesBuilderCustomizer reconnectSoon() {
        return resources -> resources.reconnectDelay(
                Delay.exponential(FIRST_RECONNECT_DELAY, MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS));
    }
}
