package dev.socnet.web;

import static dev.socnet.ApiClient.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.socnet.IntegrationTest;
import dev.socnet.feed.SocialApi.Account;
import dev.socnet.feed.SocialApiIntegration;

/**
 * Text PostgreSQL cannot store (NUL, an unpaired surrogate) is a 400 naming the field on every
 * endpoint that takes text, query or body, never a 500; number-typed query parameters take any
 * JSON-number spelling of a whole number and refuse fractions naming the parameter; registration needs
 * only names and password.
 */
@IntegrationTest
class RequestTextAndNumbersIT extends SocialApiIntegration {

    private static final String NUL = "\\u0000";
    private static final String LONE_SURROGATE = "\\ud800";

    private static Map<String, Object> registration() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("first_name", "Нина");
        body.put("second_name", "Нулёва");
        body.put("birthdate", "1990-01-02");
        body.put("biography", "книги");
        body.put("city", "Тверь");
        body.put("password", "correct horse");
        return body;
    }

    /** The registration body as JSON with {@code field}'s value replaced by a raw JSON string literal. */
    private static String registrationWith(String field, String jsonEscapedValue) {
        StringBuilder json = new StringBuilder("{");
        registration().forEach((k, v) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(k).append("\":\"").append(k.equals(field) ? jsonEscapedValue : v).append('"');
        });
        return json.append('}').toString();
    }

    @Test
    void nulOrALoneSurrogateInAnyRegistrationFieldIsA400NamingIt() {
        for (String field : registration().keySet()) {
            if (field.equals("birthdate")) {
                continue; // a date: any NUL in it is "has a wrong format"
            }
            api.post("/user/register", registrationWith(field, "a" + NUL + "b")).assertError(400, field);
            api.post("/user/register", registrationWith(field, "a" + LONE_SURROGATE + "b")).assertError(400, field);
        }
        api.post("/user/register", registrationWith("birthdate", "1990" + NUL)).assertError(400, "birthdate");
        // nothing was stored by the refused requests
        assertThat(api.get("/user/search?first_name=" + q("Нина") + "&last_name=" + q("Нулёва")).json()).isEmpty();
    }

    @Test
    void nulInQueryParametersIsA400NamingTheParameter() {
        api.get("/user/search?first_name=%00&last_name=a").assertError(400, "first_name");
        api.get("/user/search?first_name=a&last_name=b%00").assertError(400, "last_name");
        Account reader = social.register("Читатель");
        api.get("/post/feed?offset=%00", reader.auth()).assertError(400, "offset");
    }

    @Test
    void nulInPostsLoginAndDialogsIsA400NamingTheField() {
        Account author = social.register("Писатель");
        Account friend = social.register("Друг");
        api.post("/post/create", "{\"text\":\"x" + NUL + "\"}", author.auth()).assertError(400, "text");
        String postId = social.post(author, "чистый текст");
        api.put("/post/update", "{\"id\":\"" + postId + "\",\"text\":\"" + NUL + "\"}", author.auth())
                .assertError(400, "text");
        assertThat(api.get("/post/get/" + postId).json().path("text").asString()).isEqualTo("чистый текст");
        api.post("/login", "{\"id\":\"" + author.id() + "\",\"password\":\"correct" + NUL + "\"}")
                .assertError(400, "password");
        api.post("/dialog/" + friend.id() + "/send", "{\"text\":\"" + LONE_SURROGATE + "\"}", author.auth())
                .assertError(400, "text");
        assertThat(api.get("/dialog/" + friend.id() + "/list", author.auth()).json()).isEmpty();
    }

    @Test
    void feedParametersTakeAnySpellingOfAWholeNumber() {
        Account reader = social.register("Листатель");
        Account author = social.register("Автор");
        social.follow(reader, author);
        for (int i = 0; i < 3; i++) {
            social.post(author, "пост " + i);
        }
        // fan-out is asynchronous: wait until the three posts are in the feed
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(api.get("/post/feed?offset=0.0&limit=10.0", reader.auth()).json()).hasSize(3));
        assertThat(api.get("/post/feed?offset=1e0&limit=1E1", reader.auth()).json()).hasSize(2);
        assertThat(api.get("/post/feed?offset=0&limit=2.000", reader.auth()).json()).hasSize(2);

        var fractional = api.get("/post/feed?offset=1.5", reader.auth()).assertError(400, "offset");
        assertThat(fractional.json().path("message").asString()).contains("whole number");
        api.get("/post/feed?limit=0.5", reader.auth()).assertError(400, "limit");
        api.get("/post/feed?limit=1e10", reader.auth()).assertError(400, "limit");
        api.get("/post/feed?offset=-1.0", reader.auth()).assertError(400, "offset");
        api.get("/post/feed?limit=1001.0", reader.auth()).assertError(400, "limit");
        api.get("/post/feed?limit=ten", reader.auth()).assertError(400, "limit");
    }

    @Test
    void registrationNeedsOnlyNamesAndPassword_andProfilesOmitWhatWasNotGiven() {
        String surname = "Краткова" + System.nanoTime();
        var registered = api.post("/user/register",
                Map.of("first_name", "Ольга", "second_name", surname, "password", "correct horse"));
        assertThat(registered.status()).as(registered.body()).isEqualTo(200);
        String id = registered.json().path("user_id").asString();

        var profile = api.get("/user/get/" + id).json();
        assertThat(profile.path("first_name").asString()).isEqualTo("Ольга");
        assertThat(profile.has("birthdate")).isFalse();
        assertThat(profile.has("biography")).isFalse();
        assertThat(profile.has("city")).isFalse();
        var found = api.get("/user/search?first_name=" + q("Оль") + "&last_name=" + q(surname)).json();
        assertThat(found).hasSize(1);
        assertThat(found.get(0).has("birthdate")).isFalse();

        api.post("/user/register", Map.of("first_name", "Ольга", "second_name", surname)).assertError(400, "password");
        api.post("/user/register", Map.of("second_name", surname, "password", "correct horse"))
                .assertError(400, "first_name");
        api.post("/user/register", Map.of("first_name", "Ольга", "second_name", surname, "password", "correct horse",
                "birthdate", "2999-01-01")).assertError(400, "birthdate");
        api.post("/user/register", Map.of("first_name", "Ольга", "second_name", surname, "password", "correct horse",
                "birthdate", "1899-12-31")).assertError(400, "birthdate");
    }
}
