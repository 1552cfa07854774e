package dev.socnet.user;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.socnet.web.Ids;

/** {@code /user/register}, {@code /user/get/{id}}, {@code /user/search} as the contract defines them. */
@RestController
class UserController {

    private final UserService users;

    UserController(UserService users) {
        this.users = users;
    }

    /** 200 {@code {"user_id": "…"}}; 400 naming the field for invalid input. */
    @PostMapping("/user/register")
    Map<String, String> register(@Valid @RequestBody Registration registration) {
        return Map.of("user_id", users.register(registration).toString());
    }

    /** 200 User; 400 for a malformed id; 404 for an unknown one. */
    @GetMapping("/user/get/{id}")
    User get(@PathVariable String id) {
        return users.get(Ids.parse("id", id));
    }

    /**
     * 200 [User]: up to {@code socnet.search.max-results} (100) profiles whose first name and surname
     * start with the given prefixes, case-insensitively, ordered by surname, first name, id.
     */
    @GetMapping("/user/search")
    List<User> search(
            @RequestParam("first_name") @NotBlank @Size(max = Registration.MAX_NAME_CHARS) String firstName,
            @RequestParam("last_name") @NotBlank @Size(max = Registration.MAX_NAME_CHARS) String lastName) {
        return users.search(firstName, lastName);
    }
}
