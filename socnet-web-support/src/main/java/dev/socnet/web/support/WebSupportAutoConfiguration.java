package dev.socnet.web.support;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

import tools.jackson.databind.json.JsonMapper;

/**
 * Registers the shared HTTP plumbing in a servlet web application: the {@link RequestId} filter (first
 * of all filters) and the {@link ErrorWriter}. Each service's exception handler extends
 * {@link ApiErrorHandling} itself, so it can add its own cases.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class WebSupportAutoConfiguration {

    @Bean
    RequestId requestId() {
        return new RequestId();
    }

    @Bean
    ErrorWriter errorWriter(JsonMapper json) {
        return new ErrorWriter(json);
    }
}
