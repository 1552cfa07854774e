package dev.socnet.web;

import dev.socnet.web.support.ApiException;
import dev.socnet.web.support.JsonNames;
import java.lang.reflect.Type;
import java.lang.reflect.RecordComponent;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Refuses a JSON request body with a text field PostgreSQL cannot store ({@link StorableText}):
 * 400 {@code "<field>: must not contain the NUL character (U+0000)"}, checked right after the body
 * is read and before any controller or database sees it. Request bodies are flat records (the
 * contract's bodies have no nested objects); their {@code String} components are checked, the field
 * named as in JSON (snake_case).
 */
@ControllerAdvice
class StorableBodies extends RequestBodyAdviceAdapter {

    @Override
    public boolean supports(MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        return parameter.getParameterType().isRecord();
    }

    @Override
    public Object afterBodyRead(Object body, HttpInputMessage inputMessage, MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        if (body == null) {
            return null; // the JSON literal null: Spring answers "required request body is missing" (400)
        }
        for (RecordComponent component : body.getClass().getRecordComponents()) {
            if (component.getType() != String.class) {
                continue;
            }
            String value;
            try {
                var accessor = component.getAccessor();
                accessor.setAccessible(true); // request records are package-private in their feature's package
                value = (String) accessor.invoke(body);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + component + " of a request body", e);
            }
            String field = JsonNames.snakeCase(component.getName());
            StorableText.problem(value).ifPresent(reason -> {
                throw ApiException.badRequest(field, reason);
            });
        }
        return body;
    }
}
