package dev.socnet.post;

import static dev.socnet.web.BadRequests.get;
import static dev.socnet.web.BadRequests.post;
import static dev.socnet.web.BadRequests.raw;
import static dev.socnet.web.BadRequests.with;

import java.util.List;
import java.util.Map;

import org.springframework.test.context.bean.override.mockito.MockitoBean;

import dev.socnet.web.BadInputSlice;
import dev.socnet.web.BadRequests;
import dev.socnet.web.BadRequests.Case;
import dev.socnet.web.WebSlice;
import dev.socnet.ratelimit.UserRateLimits;

/**
 * The bad-input matrix (issue 13) of {@code /post/create}, {@code /post/update}, {@code /post/delete/{id}}
 * and {@code /post/get/{id}}, in a web slice: each bad request is a clean 4xx with the JSON error body
 * ({@link BadRequests#assertCleanError}) and reaches neither the service nor the rate limits (nothing is
 * written, nothing is counted).
 */
@WebSlice(PostController.class)
class PostBadInputTest extends BadInputSlice {

    /** Stand-ins, so that the test can see that no bad request reaches them. */
    @MockitoBean
    PostService posts;

    @MockitoBean
    UserRateLimits limits;

    @Override
    protected void addCases(List<Case> c) {
        c.add(post("post/create: text of a wrong type", "/post/create", auth, "{\"text\": 42}", 400, "text"));
        c.add(post("post/create: text missing", "/post/create", auth, "{}", 400, "text"));
        c.add(post("post/create: blank text", "/post/create", auth, "{\"text\": \"  \"}", 400, "text"));
        c.add(post("post/create: text over 5000 characters", "/post/create", auth,
                "{\"text\": \"" + "x".repeat(5001) + "\"}", 400, "text"));
        c.add(post("post/create: NUL in the text", "/post/create", auth, "{\"text\": \"a\\u0000b\"}", 400, "text"));
        c.add(post("post/create: body over 64 KiB", "/post/create", auth, BadRequests.TOO_BIG, 413, null));
        c.add(raw("post/create: form-encoded body", "POST", "/post/create",
                with(auth, "Content-Type", "application/x-www-form-urlencoded"), "text=hello", false, 415, null));
        c.add(raw("post/create: malformed Idempotency-Key", "POST", "/post/create",
                with(with(auth, "Content-Type", "application/json"), "Idempotency-Key", "two words"), "{\"text\": \"x\"}",
                false, 400, "Idempotency-Key"));
        c.add(raw("post/create: no token", "POST", "/post/create", Map.of("Content-Type", "application/json"),
                "{\"text\": \"x\"}", false, 401, null));
        c.add(raw("post/update: id not a UUID", "PUT", "/post/update", with(auth, "Content-Type", "application/json"),
                "{\"id\": \"p1\", \"text\": \"x\"}", false, 400, "id"));
        c.add(raw("post/update: id missing", "PUT", "/post/update", with(auth, "Content-Type", "application/json"),
                "{\"text\": \"x\"}", false, 400, "id"));
        c.add(raw("post/delete: id not a UUID", "PUT", "/post/delete/abc", auth, (byte[]) null, false, 400, "id"));
        c.add(get("post/get: id not a UUID", "/post/get/p1", none, 400, "id"));
    }
}
