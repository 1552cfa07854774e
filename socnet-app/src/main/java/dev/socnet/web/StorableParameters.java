package dev.socnet.web;

import dev.socnet.web.support.ApiException;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses a request whose query parameters hold text PostgreSQL cannot store ({@link StorableText}),
 * e.g. {@code /user/search?first_name=%00}: 400 naming the parameter, before the controller runs.
 * Registered for every path by {@link WebConfiguration}.
 */
@Component
class StorableParameters implements HandlerInterceptor {

    /** @throws ApiException 400 naming the first parameter that holds unstorable text */
    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            StorableText.problem(parameter.getKey()).ifPresent(reason -> {
                throw ApiException.badRequest(null, "a query parameter name " + reason);
            });
            for (String value : parameter.getValue()) {
                StorableText.problem(value).ifPresent(reason -> {
                    throw ApiException.badRequest(parameter.getKey(), reason);
                });
            }
        }
        return true;
    }
}
