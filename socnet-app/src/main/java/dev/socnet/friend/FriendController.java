package dev.socnet.friend;

import java.util.UUID;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.socnet.web.Ids;

/**
 * {@code PUT /friend/set/{user_id}} and {@code PUT /friend/delete/{user_id}} as the contract defines
 * them: the caller (the JWT's {@code sub}) follows or stops following {@code user_id}. 200 with an
 * empty body, also when nothing changed; 400 for a malformed id or the caller's own id; 401 without
 * a valid token; 404 when there is no such user.
 */
@RestController
class FriendController {

    private final FollowService follows;

    FriendController(FollowService follows) {
        this.follows = follows;
    }

    @PutMapping("/friend/set/{user_id}")
    void follow(@AuthenticationPrincipal Jwt caller, @PathVariable("user_id") String userId) {
        follows.follow(UUID.fromString(caller.getSubject()), Ids.parse("user_id", userId));
    }

    @PutMapping("/friend/delete/{user_id}")
    void unfollow(@AuthenticationPrincipal Jwt caller, @PathVariable("user_id") String userId) {
        follows.unfollow(UUID.fromString(caller.getSubject()), Ids.parse("user_id", userId));
    }
}
