package dev.socnet.web;

import static org.mockito.Mockito.verifyNoInteractions;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

import dev.socnet.web.BadRequests.Case;

/**
 * A module's half of the bad-input matrix (issue 13) in a {@code @WebMvcTest} slice of its controller
 * ({@link WebSlice}): each of {@link #cases()} is a clean 4xx with the JSON error body
 * ({@link BadRequests#assertCleanError}), and none reaches the module's services or the rate limits
 * ({@link #standIns()}, Mockito stand-ins the test checks were never called): nothing is written, nothing
 * is counted.
 */
public abstract class BadInputSlice {

    /** No headers. */
    protected static final Map<String, String> NONE = Map.of();

    @Autowired
    protected MockMvc mvc;

    /** The bad requests of the module's endpoints and what each must get. */
    protected abstract List<Case> cases();

    /** The stand-ins of the services and limits the controller calls once a request is valid. */
    protected abstract Object[] standIns();

    /** {@code Authorization} of a signed, unexpired token of some user. */
    protected static Map<String, String> anyUser() {
        return BadRequests.bearer(BadRequests.token(UUID.randomUUID()));
    }

    @TestFactory
    Stream<DynamicTest> everyBadRequestIsAClean4xxWithTheJsonErrorBody() {
        return BadRequests.inSlice(mvc, cases());
    }

    @AfterEach
    void noBadRequestReachedAServiceOrALimit() {
        verifyNoInteractions(standIns());
    }
}
