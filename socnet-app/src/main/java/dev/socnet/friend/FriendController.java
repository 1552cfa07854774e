package dev.socnet.friend;

import java.util.UUID;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.socnet.ratelimit.UserLimit;
import dev.socnet.ratelimit.UserRateLimits;
import dev.socnet.web.Ids;

/**
 * {@code PUT /friend/set/{user_id}} and {@code PUT /friend/delete/{user_id}} as the contract defines
 * them: the caller (the JWT's {@code sub}) follows or stops following {@code user_id}. 200 with an
 * empty body, also when nothing changed; 400 for a malformed id or the caller's own id; 401 without
 * a valid token; 404 when there is no such user; 429 with {@code Retry-After} when the caller used up
 * the {@link UserLimit#FOLLOWS} limit (both paths together, {@code socnet.rate-limits.limits.follows}),
 * and then nothing changes.
 */
@RestController
class FriendController {

    private final FollowService follows;
    private final UserRateLimits limits;

    FriendController(FollowService follows, UserRateLimits limits) {
        this.follows = follows;
        this.limits = limits;
    }

    @PutMapping("/friend/set/{user_id}")
    void follow(@AuthenticationPrincipal Jwt caller, @PathVariable("user_id") String userId) {
        UUID followee = Ids.parse("user_id", userId);
        limits.acquire(UserLimit.FOLLOWS, UUID.fromString(caller.getSubject()));
        follows.follow(UUID.fromString(caller.getSubject()), followee);
    }

    @PutMapping("/friend/delete/{user_id}")
    void unfollow(@AuthenticationPrincipal Jwt caller, @PathVariable("user_id") String userId) {
        UUID followee = Ids.parse("user_id", userId);
        limits.acquire(UserLimit.FOLLOWS, UUID.fromString(caller.getSubject()));
        follows.unfollow(UUID.fromString(caller.getSubject()), followee);
    }
}
