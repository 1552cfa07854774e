package dev.socnet.friend;

import static dev.socnet.web.BadRequests.bearer;
import static dev.socnet.web.BadRequests.get;
import static dev.socnet.web.BadRequests.raw;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.test.context.bean.override.mockito.MockitoBean;

import dev.socnet.web.BadInputSlice;
import dev.socnet.web.BadRequests;
import dev.socnet.web.BadRequests.Case;
import dev.socnet.web.WebSlice;
import dev.socnet.ratelimit.UserRateLimits;

/**
 * The bad-input matrix (issue 13) of {@code /friend/set/{user_id}} and {@code /friend/delete/{user_id}},
 * with the tokens the security chain refuses, in a web slice: each bad request is a clean 4xx with the JSON
 * error body ({@link BadRequests#assertCleanError}) and reaches neither the service nor the rate limits
 * (nothing is written, nothing is counted).
 */
@WebSlice(FriendController.class)
class FriendBadInputTest extends BadInputSlice {

    /** Stand-ins, so that the test can see that no bad request reaches them. */
    @MockitoBean
    FollowService follows;

    @MockitoBean
    UserRateLimits limits;

    @Override
    protected void addCases(List<Case> c) {
        String secret = BadRequests.JWT_SECRET;
        String boris = UUID.randomUUID().toString();
        String user = UUID.randomUUID().toString();
        c.add(raw("friend/set: user_id not a UUID", "PUT", "/friend/set/not-a-uuid", auth, (byte[]) null, false, 400,
                "user_id"));
        c.add(raw("friend/delete: user_id not a UUID", "PUT", "/friend/delete/42", auth, (byte[]) null, false, 400,
                "user_id"));
        c.add(raw("token: alg=none", "PUT", "/friend/set/" + boris, bearer(BadRequests.unsigned(user)), (byte[]) null,
                false, 401, null));
        c.add(raw("token: signed with another key", "PUT", "/friend/set/" + boris,
                bearer(BadRequests.signed(user, "another-secret-that-is-at-least-32-bytes!", Instant.now().plusSeconds(600))),
                (byte[]) null, false, 401, null));
        c.add(raw("token: expired", "PUT", "/friend/set/" + boris,
                bearer(BadRequests.signed(user, secret, Instant.now().minusSeconds(60))), (byte[]) null, false, 401, null));
        c.add(raw("token: our key, but its sub is not a user id", "PUT", "/friend/set/" + boris,
                bearer(BadRequests.signed("admin", secret, Instant.now().plusSeconds(600))), (byte[]) null, false, 401, null));
        c.add(raw("token: not a JWT", "PUT", "/friend/set/" + boris, bearer("not.a.token"), (byte[]) null, false,
                401, null));
        c.add(raw("token: none", "PUT", "/friend/delete/" + boris, none, (byte[]) null, false, 401, null));
        c.add(raw("token: Basic instead of Bearer", "PUT", "/friend/set/" + boris, Map.of("Authorization", "Basic YTpi"),
                (byte[]) null, false, 401, null));
        c.add(raw("a method the path does not take, without a token", "GET", "/friend/set/" + boris, none,
                (byte[]) null, false, 401, null));
        c.add(raw("a method the path does not take", "GET", "/friend/set/" + boris, auth, (byte[]) null, false, 405,
                null));
        c.add(get("an unknown path, without a token", "/admin", none, 401, null));
        c.add(get("an unknown path", "/admin", auth, 404, null));
    }
}
