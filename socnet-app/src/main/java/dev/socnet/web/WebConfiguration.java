package dev.socnet.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Request parameters as the contract defines them: whole numbers in any JSON-number spelling
 * ({@link WholeNumbers}) and text PostgreSQL can store ({@link StorableParameters}).
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    private final StorableParameters storableParameters;

    WebConfiguration(StorableParameters storableParameters) {
        this.storableParameters = storableParameters;
    }

    @Override
    public void addFormatters(FormatterRegistry registry) {
        registry.addConverter(String.class, Integer.class, new WholeNumbers());
        registry.addConverter(String.class, int.class, new WholeNumbers());
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(storableParameters);
    }
}
