package dev.socnet.web;

import static org.mockito.Mockito.verifyNoInteractions;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.util.ReflectionUtils;

import dev.socnet.web.BadRequests.Case;

/**
 * A module's half of the bad-input matrix (issue 13) in a {@code @WebMvcTest} slice of its controller
 * ({@link WebSlice}): each case {@link #addCases} adds is a clean 4xx with the JSON error body
 * ({@link BadRequests#assertCleanError}), and none reaches the module's services or the rate limits
 * (the slice's {@code @MockitoBean} fields, stand-ins the test checks were never called): nothing is
 * written, nothing is counted.
 */
public abstract class BadInputSlice {

    /** No headers. */
    protected static final Map<String, String> NONE = Map.of();

    /** {@code Authorization} of a signed, unexpired token of some user. */
    protected final Map<String, String> auth = anyUser();

    /** No headers (the same as {@link #NONE}). */
    protected final Map<String, String> none = NONE;

    @Autowired
    protected MockMvc mvc;

    /** Adds the bad requests of the module's endpoints and what each must get to {@code cases}. */
    protected abstract void addCases(List<Case> cases);

    /** {@code Authorization} of a signed, unexpired token of some user. */
    protected static Map<String, String> anyUser() {
        return BadRequests.bearer(BadRequests.token(UUID.randomUUID()));
    }

    @TestFactory
    Stream<DynamicTest> everyBadRequestIsAClean4xxWithTheJsonErrorBody() {
        List<Case> cases = new ArrayList<>();
        addCases(cases);
        return BadRequests.inSlice(mvc, cases);
    }

    @AfterEach
    void noBadRequestReachedAServiceOrALimit() {
        verifyNoInteractions(standIns());
    }

    /** The stand-ins of the services and limits the controller calls once a request is valid: the {@code @MockitoBean} fields. */
    private Object[] standIns() {
        List<Object> standIns = new ArrayList<>();
        for (Class<?> type = getClass(); type != BadInputSlice.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (field.isAnnotationPresent(MockitoBean.class)) {
                    ReflectionUtils.makeAccessible(field);
                    standIns.add(ReflectionUtils.getField(field, this));
                }
            }
        }
        if (standIns.isEmpty()) {
            throw new IllegalStateException(getClass().getSimpleName() + " has no @MockitoBean stand-in to check");
        }
        return standIns.toArray();
    }
}
