package dev.socnet.auth;

import static dev.socnet.web.BadRequests.post;
import static dev.socnet.web.BadRequests.raw;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.test.context.bean.override.mockito.MockitoBean;

import dev.socnet.web.BadInputSlice;
import dev.socnet.web.BadRequests;
import dev.socnet.web.BadRequests.Case;
import dev.socnet.web.WebSlice;
import dev.socnet.user.UserDirectory;

/**
 * The bad-input matrix (issue 13) of {@code /login}, in a web slice: each bad request is a clean 4xx with
 * the JSON error body ({@link BadRequests#assertCleanError}) and reaches neither the service nor the rate
 * limits (nothing is written, nothing is counted).
 */
@WebSlice(LoginController.class)
class LoginBadInputTest extends BadInputSlice {

    /** Stands in for the user directory, so that the test can see that no bad request reaches it. */
    @MockitoBean
    UserDirectory users;

    @Override
    protected void addCases(List<Case> c) {
        String anna = UUID.randomUUID().toString();
        c.add(post("login: malformed JSON", "/login", none, "{\"id\": ", 400, null));
        c.add(post("login: id of a wrong type", "/login", none, "{\"id\": 42, \"password\": \"secret1\"}", 400, "id"));
        c.add(post("login: password missing", "/login", none, "{\"id\": \"" + anna + "\"}", 400, "password"));
        c.add(post("login: id not a UUID", "/login", none, "{\"id\": \"anna\", \"password\": \"secret1\"}", 400, "id"));
        c.add(post("login: NUL in the password", "/login", none,
                "{\"id\": \"" + anna + "\", \"password\": \"sec\\u0000ret\"}", 400, "password"));
        c.add(raw("login: text/plain body", "POST", "/login", Map.of("Content-Type", "text/plain"),
                "id=" + anna, false, 415, null));
        c.add(post("login: a JSON array", "/login", none, "[]", 400, null));
        c.add(post("login: JSON null", "/login", none, "null", 400, null));
        c.add(post("login: body over 64 KiB", "/login", none, BadRequests.TOO_BIG, 413, null));
    }
}
