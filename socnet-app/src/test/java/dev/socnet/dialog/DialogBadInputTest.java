package dev.socnet.dialog;

import static dev.socnet.web.BadRequests.get;
import static dev.socnet.web.BadRequests.post;
import static dev.socnet.web.BadRequests.raw;
import static dev.socnet.web.BadRequests.with;

import java.util.List;
import java.util.UUID;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

import dev.socnet.web.BadInputSlice;
import dev.socnet.web.BadRequests;
import dev.socnet.web.BadRequests.Case;
import dev.socnet.web.WebSlice;
import dev.socnet.ratelimit.UserRateLimits;
import dev.socnet.user.UserDirectory;

/**
 * The bad-input matrix (issue 13) of {@code /dialog/{user_id}/send} and {@code /dialog/{user_id}/list}, in
 * a web slice: each bad request is a clean 4xx with the JSON error body ({@link
 * BadRequests#assertCleanError}) and reaches neither the service nor the rate limits (nothing is written,
 * nothing is counted).
 */
@WebSlice(DialogController.class)
class DialogBadInputTest extends BadInputSlice {

    /** The gateway's settings (application.yml): the controller reads the 503's Retry-After from them. */
    @TestConfiguration(proxyBeanMethods = false)
    @EnableConfigurationProperties(DialogsProperties.class)
    static class Settings {
    }

    /** Stand-ins, so that the test can see that no bad request reaches them. */
    @MockitoBean
    DialogsClient dialogs;

    @MockitoBean
    UserDirectory users;

    @MockitoBean
    UserRateLimits limits;

    @Override
    protected void addCases(List<Case> c) {
        String boris = UUID.randomUUID().toString();
        c.add(post("dialog/send: user_id not a UUID", "/dialog/not-a-uuid/send", auth, "{\"text\": \"x\"}", 400,
                "user_id"));
        c.add(post("dialog/send: text over 4096 characters", "/dialog/" + boris + "/send", auth,
                "{\"text\": \"" + "x".repeat(4097) + "\"}", 400, "text"));
        c.add(post("dialog/send: text of a wrong type", "/dialog/" + boris + "/send", auth, "{\"text\": [1]}", 400,
                "text"));
        c.add(post("dialog/send: NUL in the text", "/dialog/" + boris + "/send", auth, "{\"text\": \"a\\u0000b\"}", 400,
                "text"));
        c.add(post("dialog/send: body over 64 KiB", "/dialog/" + boris + "/send", auth, BadRequests.TOO_BIG, 413, null));
        c.add(raw("dialog/send: text/plain body", "POST", "/dialog/" + boris + "/send",
                with(auth, "Content-Type", "text/plain"), "x", false, 415, null));
        c.add(post("dialog/send: no token", "/dialog/" + boris + "/send", none, "{\"text\": \"x\"}", 401, null));
        c.add(get("dialog/list: limit 0", "/dialog/" + boris + "/list?limit=0", auth, 400, "limit"));
        c.add(get("dialog/list: before not a UUID", "/dialog/" + boris + "/list?before=yesterday", auth, 400,
                "before"));
    }
}
