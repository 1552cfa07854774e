package dev.socnet.web.support;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

import tools.jackson.databind.json.JsonMapper;

/**
 * Registers the shared HTTP plumbing: the {@link ErrorWriter} always (the app's security and WebSocket
 * configuration ask for it, also when the same context runs without a web server, as socnet-tools'
 * commands do), and in a servlet web application the {@link RequestId} filter (first of all filters).
 * Each service's exception handler extends {@link ApiErrorHandling} itself, so it can add its own cases.
 */
@AutoConfiguration
public class WebSupportAutoConfiguration {

    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    RequestId requestId() {
        return new RequestId();
    }

    @Bean
    ErrorWriter errorWriter(JsonMapper json) {
        return new ErrorWriter(json);
    }
}
