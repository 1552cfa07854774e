package dev.socnet.auth;

import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.socnet.user.UserDirectory;
import dev.socnet.web.support.ApiException;
import dev.socnet.web.Ids;

/**
 * {@code POST /login {id, password}} → 200 {@code {"token": "<JWT>"}}. Unknown id → 404 (as the
 * contract lists); wrong password → 400 (the contract lists no 401 for /login), same message
 * whatever part was wrong.
 */
@RestController
class LoginController {

    /** Body of /login. */
    record Login(@NotNull String id, @NotBlank String password) {
    }

    private final UserDirectory users;
    private final PasswordEncoder passwords;
    private final Tokens tokens;

    LoginController(UserDirectory users, PasswordEncoder passwords, Tokens tokens) {
        this.users = users;
        this.passwords = passwords;
        this.tokens = tokens;
    }

    @PostMapping("/login")
    Map<String, String> login(@Valid @RequestBody Login login) {
        UUID id = Ids.parse("id", login.id());
        String hash = users.passwordHash(id).orElseThrow(() -> ApiException.notFound("user", id));
        if (!passwords.matches(login.password(), hash)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "password", "password: does not match");
        }
        return Map.of("token", tokens.issue(id));
    }
}
