package dev.socnet.user;

import static dev.socnet.web.BadRequests.get;
import static dev.socnet.web.BadRequests.post;
import static dev.socnet.web.BadRequests.raw;

import java.util.List;
import java.util.Map;

import org.springframework.test.context.bean.override.mockito.MockitoBean;

import dev.socnet.web.BadInputSlice;
import dev.socnet.web.BadRequests;
import dev.socnet.web.BadRequests.Case;
import dev.socnet.web.WebSlice;

/**
 * The bad-input matrix (issue 13) of {@code /user/register}, {@code /user/get/{id}} and {@code
 * /user/search}, in a web slice: each bad request is a clean 4xx with the JSON error body ({@link
 * BadRequests#assertCleanError}) and never reaches the user service (nothing is written).
 */
@WebSlice(UserController.class)
class UserBadInputTest extends BadInputSlice {

    /** Stands in for the service so that the test can see that no bad request reaches it. */
    @MockitoBean
    UserService users;

    @Override
    protected void addCases(List<Case> c) {
        c.add(post("register: malformed JSON", "/user/register", none, "{\"first_name\": \"Иван\",", 400, null));
        c.add(post("register: first_name missing", "/user/register", none,
                "{\"second_name\": \"Петров\", \"password\": \"secret1\"}", 400, "first_name"));
        c.add(post("register: birthdate of a wrong type", "/user/register", none,
                "{\"first_name\": \"Иван\", \"second_name\": \"Петров\", \"password\": \"secret1\", \"birthdate\": 19900101}",
                400, "birthdate"));
        c.add(post("register: first_name over 100 characters", "/user/register", none,
                "{\"first_name\": \"" + "И".repeat(101) + "\", \"second_name\": \"Петров\", \"password\": \"secret1\"}",
                400, "first_name"));
        c.add(post("register: NUL in the biography", "/user/register", none,
                "{\"first_name\": \"Иван\", \"second_name\": \"Петров\", \"password\": \"secret1\", \"biography\": \"a\\u0000b\"}",
                400, "biography"));
        c.add(post("register: an unpaired surrogate in the city", "/user/register", none,
                "{\"first_name\": \"Иван\", \"second_name\": \"Петров\", \"password\": \"secret1\", \"city\": \"\\ud800\"}",
                400, "city"));
        c.add(post("register: unknown field", "/user/register", none,
                "{\"first_name\": \"Иван\", \"second_name\": \"Петров\", \"password\": \"secret1\", \"role\": \"admin\"}",
                400, "role"));
        c.add(post("register: body over 64 KiB", "/user/register", none, BadRequests.TOO_BIG, 413, null));
        c.add(raw("register: application/xml body", "POST", "/user/register", Map.of("Content-Type", "application/xml"),
                "<user/>", false, 415, null));
        c.add(raw("register: no Content-Type", "POST", "/user/register", none, "{}", false, 415, null));
        c.add(post("register: nested 1,000 levels deep", "/user/register", none,
                "{\"first_name\": " + "[".repeat(1000) + "]".repeat(1000) + "}", 400, null));
        c.add(raw("register: bytes that are not UTF-8", "POST", "/user/register",
                Map.of("Content-Type", "application/json"), new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
                false, 400, null));
        c.add(post("register: a JSON array", "/user/register", none, "[]", 400, null));
        c.add(get("user/get: id not a UUID", "/user/get/not-a-uuid", none, 400, "id"));
        c.add(get("user/get: a short UUID form", "/user/get/1-1-1-1-1", none, 400, "id"));
        c.add(get("user/search: last_name missing", "/user/search?first_name=%D0%98", none, 400, "last_name"));
        c.add(get("user/search: NUL in first_name", "/user/search?first_name=%00&last_name=%D0%98", none, 400,
                "first_name"));
        c.add(get("user/search: first_name over 100 characters",
                "/user/search?first_name=" + "a".repeat(101) + "&last_name=b", none, 400, "first_name"));
        c.add(get("user/search: blank last_name", "/user/search?first_name=a&last_name=%20", none, 400, "last_name"));
        c.add(raw("a method the path does not take", "DELETE", "/user/get/" + java.util.UUID.randomUUID(),
                BadRequests.bearer(BadRequests.token(java.util.UUID.randomUUID())), (byte[]) null, false, 405, null));
    }
}
