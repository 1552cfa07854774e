package dev.socnet.post;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.socnet.IntegrationTest;
import dev.socnet.feed.SocialApi;
import dev.socnet.feed.SocialApiIntegration;
import dev.socnet.feed.SocialApi.Account;
import tools.jackson.databind.JsonNode;

/** /post/create, /post/update, /post/delete/{id}, /post/get/{id} over HTTP against the real services. */
@IntegrationTest
class PostApiIT extends SocialApiIntegration {

    @Test
    void createdPostCanBeReadByAnyoneWithoutAToken() {
        Account author = social.register("Автор");
        var created = api.post("/post/create", Map.of("text", "Привет, мир"), author.auth());
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.header("Content-Type")).startsWith("application/json");
        UUID id = UUID.fromString(created.json().asString());
        assertThat(id.version()).as("posts get UUIDv7 ids").isEqualTo(7);

        JsonNode post = api.get("/post/get/" + id).json();
        assertThat(post.path("id").asString()).isEqualTo(id.toString());
        assertThat(post.path("text").asString()).isEqualTo("Привет, мир");
        assertThat(post.path("author_user_id").asString()).isEqualTo(author.id());
        assertThat(post.size()).as("exactly the contract's fields").isEqualTo(3);
    }

    @Test
    void textIsRequiredNonBlankAndAtMost5000Characters() {
        Account author = social.register("Автор");
        api.post("/post/create", Map.of(), author.auth()).assertError(400, "text");
        api.post("/post/create", Map.of("text", "   "), author.auth()).assertError(400, "text");
        api.post("/post/create", Map.of("text", "ж".repeat(5001)), author.auth()).assertError(400, "text");
        api.post("/post/create", Map.of("text", 42), author.auth()).assertError(400, "text");
        api.post("/post/create", Map.of("text", "x", "title", "y"), author.auth()).assertError(400, "title");
        api.post("/post/create", "{\"text\": ", author.auth()).assertError(400, null);

        var longest = api.post("/post/create", Map.of("text", "ж".repeat(5000)), author.auth());
        assertThat(longest.status()).isEqualTo(200);
        assertThat(api.get("/post/get/" + longest.json().asString()).json().path("text").asString()).hasSize(5000);
    }

    @Test
    void onlyTheAuthorMayUpdateAPost() {
        Account author = social.register("Автор");
        Account other = social.register("Чужой");
        String id = social.post(author, "черновик");

        api.put("/post/update", Map.of("id", id, "text", "взлом"), other.auth()).assertError(403, null);
        assertThat(api.get("/post/get/" + id).json().path("text").asString()).isEqualTo("черновик");

        var updated = api.put("/post/update", Map.of("id", id, "text", "чистовик"), author.auth());
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.body()).isEmpty();
        assertThat(api.get("/post/get/" + id).json().path("text").asString()).isEqualTo("чистовик");
    }

    @Test
    void badUpdatesAre400Or404() {
        Account author = social.register("Автор");
        String id = social.post(author, "текст");
        api.put("/post/update", Map.of("id", id, "text", ""), author.auth()).assertError(400, "text");
        api.put("/post/update", Map.of("id", id, "text", "ж".repeat(5001)), author.auth()).assertError(400, "text");
        api.put("/post/update", Map.of("text", "без id"), author.auth()).assertError(400, "id");
        api.put("/post/update", Map.of("id", "42", "text", "x"), author.auth()).assertError(400, "id");
        api.put("/post/update", Map.of("id", UUID.randomUUID().toString(), "text", "x"), author.auth())
                .assertError(404, null);
        assertThat(api.get("/post/get/" + id).json().path("text").asString()).isEqualTo("текст");
    }

    @Test
    void onlyTheAuthorMayDeleteAPostAndThenItIsGone() {
        Account author = social.register("Автор");
        Account other = social.register("Чужой");
        String id = social.post(author, "на удаление");

        api.put("/post/delete/" + id, null, other.auth()).assertError(403, null);
        assertThat(api.get("/post/get/" + id).status()).isEqualTo(200);

        var deleted = api.put("/post/delete/" + id, null, author.auth());
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.body()).isEmpty();
        api.get("/post/get/" + id).assertError(404, null);
        api.put("/post/delete/" + id, null, author.auth()).assertError(404, null);
        api.put("/post/update", Map.of("id", id, "text", "воскрешение"), author.auth()).assertError(404, null);
    }

    @Test
    void getAnswers400ForAMalformedIdAnd404ForAnUnknownOne() {
        api.get("/post/get/not-a-uuid").assertError(400, "id");
        api.get("/post/get/" + UUID.randomUUID()).assertError(404, null);
        Account author = social.register("Автор");
        api.put("/post/delete/1-1-1-1-1", null, author.auth()).assertError(400, "id");
    }

    @Test
    void changingPostsNeedsAValidToken() {
        Account author = social.register("Автор");
        String id = social.post(author, "текст");
        api.post("/post/create", Map.of("text", "x")).assertError(401, null);
        api.put("/post/update", Map.of("id", id, "text", "x")).assertError(401, null);
        api.put("/post/delete/" + id, null).assertError(401, null);
        api.put("/post/delete/" + id, null, "Authorization", "Bearer expired.or.forged").assertError(401, null);
        assertThat(api.get("/post/get/" + id).json().path("text").asString()).isEqualTo("текст");
    }
}
