package dev.socnet.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.socnet.ApiClient;
import tools.jackson.databind.JsonNode;

/**
 * The social API as a test user drives it: register and log in, follow, post, read the feed. Every
 * call goes over HTTP through {@link ApiClient} (so each exchange is checked against openapi.json)
 * and asserts the success status.
 */
public final class SocialApi {

    /** A registered, logged-in user: id and bearer token. */
    public record Account(String id, String token) {

        /** The {@code Authorization} header pair for {@link ApiClient}. */
        public String[] auth() {
            return new String[] {"Authorization", "Bearer " + token};
        }
    }

    public static final String PASSWORD = "correct horse";

    private final ApiClient api;

    public SocialApi(ApiClient api) {
        this.api = api;
    }

    public ApiClient http() {
        return api;
    }

    public Account register(String firstName) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("first_name", firstName);
        body.put("second_name", "Лентова");
        body.put("birthdate", "1995-03-08");
        body.put("password", PASSWORD);
        var registered = api.post("/user/register", body);
        assertThat(registered.status()).as(registered.body()).isEqualTo(200);
        String id = registered.json().path("user_id").asString();
        var login = api.post("/login", Map.of("id", id, "password", PASSWORD));
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        return new Account(id, login.json().path("token").asString());
    }

    public void follow(Account follower, Account followee) {
        var response = api.put("/friend/set/" + followee.id(), null, follower.auth());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    public void unfollow(Account follower, Account followee) {
        var response = api.put("/friend/delete/" + followee.id(), null, follower.auth());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    /** @return the new post's id */
    public String post(Account author, String text) {
        var response = api.post("/post/create", Map.of("text", text), author.auth());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().asString();
    }

    public void edit(Account author, String postId, String text) {
        var response = api.put("/post/update", Map.of("id", postId, "text", text), author.auth());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    public void delete(Account author, String postId) {
        var response = api.put("/post/delete/" + postId, null, author.auth());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    /** The reader's feed page ({@code query} like {@code "?offset=0&limit=10"}, or empty) as JSON. */
    public JsonNode feed(Account reader, String query) {
        var response = api.get("/post/feed" + query, reader.auth());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    /** Ids of the reader's whole feed (limit 1000), in the order served. */
    public List<String> feedIds(Account reader) {
        return ids(feed(reader, "?limit=1000"));
    }

    public static List<String> ids(JsonNode posts) {
        List<String> ids = new ArrayList<>();
        posts.forEach(p -> ids.add(p.path("id").asString()));
        return ids;
    }
}
