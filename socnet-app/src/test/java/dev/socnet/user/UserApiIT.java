package dev.socnet.user;

import static dev.socnet.ApiClient.q;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.socnet.ApiClient;
import dev.socnet.IntegrationTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** /user/register, /login, /user/get, /user/search over HTTP against the real PostgreSQL. */
@IntegrationTest
class UserApiIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    static Map<String, Object> registration() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("first_name", "Иван");
        body.put("second_name", "Петров");
        body.put("birthdate", "1990-05-17");
        body.put("biography", "Чтение, бег");
        body.put("city", "Москва");
        body.put("password", "correct horse");
        return body;
    }

    String register(Map<String, Object> body) {
        var response = api.post("/user/register", body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().path("user_id").asString();
    }

    @Test
    void registeredUserLogsInAndReadsTheProfile() {
        String id = register(registration());

        var login = api.post("/login", Map.of("id", id, "password", "correct horse"));
        assertThat(login.status()).isEqualTo(200);
        String token = login.json().path("token").asString();
        JsonNode claims = JsonMapper.builder().build().readTree(
                new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
        assertThat(claims.path("sub").asString()).isEqualTo(id);
        assertThat(claims.path("exp").asLong()).isGreaterThan(Instant.now().getEpochSecond());

        JsonNode user = api.get("/user/get/" + id).json();
        assertThat(user.path("id").asString()).isEqualTo(id);
        assertThat(user.path("first_name").asString()).isEqualTo("Иван");
        assertThat(user.path("second_name").asString()).isEqualTo("Петров");
        assertThat(user.path("birthdate").asString()).isEqualTo("1990-05-17");
        assertThat(user.path("biography").asString()).isEqualTo("Чтение, бег");
        assertThat(user.path("city").asString()).isEqualTo("Москва");
        assertThat(user.has("password")).isFalse();
        assertThat(user.has("password_hash")).isFalse();
    }

    @Test
    void badRegistrationsAre400NamingTheFieldAndStoreNothing() {
        long before = userCount();
        record Case(String field, Map<String, Object> body) {
        }
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("first_name", without(registration(), "first_name")));
        cases.add(new Case("second_name", with(registration(), "second_name", "   ")));
        cases.add(new Case("birthdate", with(registration(), "birthdate", LocalDate.now().plusDays(1).toString())));
        cases.add(new Case("birthdate", with(registration(), "birthdate", "1899-12-31")));
        cases.add(new Case("birthdate", with(registration(), "birthdate", "17.05.1990")));
        cases.add(new Case("first_name", with(registration(), "first_name", 42)));
        cases.add(new Case("city", with(registration(), "city", List.of("Москва"))));
        cases.add(new Case("biography", with(registration(), "biography", "б".repeat(2001))));
        cases.add(new Case("first_name", with(registration(), "first_name", "И".repeat(101))));
        cases.add(new Case("password", without(registration(), "password")));
        cases.add(new Case("password", with(registration(), "password", "12345")));
        cases.add(new Case("password", with(registration(), "password", "пароль".repeat(7))));
        cases.add(new Case("nickname", with(registration(), "nickname", "ivan")));
        for (Case c : cases) {
            api.post("/user/register", c.body()).assertError(400, c.field());
        }
        api.post("/user/register", "{\"first_name\": \"Иван\",").assertError(400, null);
        api.post("/user/register", "").assertError(400, null);
        api.post("/user/register", "[]").assertError(400, null);
        api.post("/user/register", "x", "Content-Type", "text/plain").assertError(415, null);
        api.post("/user/register", with(registration(), "biography", "б".repeat(70_000))).assertError(413, null);

        assertThat(userCount()).isEqualTo(before);
    }

    @Test
    void getAnswers400ForAMalformedIdAnd404ForAnUnknownOne() {
        api.get("/user/get/not-a-uuid").assertError(400, "id");
        api.get("/user/get/1-1-1-1-1").assertError(400, "id");
        api.get("/user/get/" + UUID.randomUUID()).assertError(404, null);
    }

    @Test
    void loginAnswers404ForAnUnknownUserAnd400ForAWrongPassword() {
        String id = register(registration());
        api.post("/login", Map.of("id", UUID.randomUUID().toString(), "password", "x")).assertError(404, null);
        api.post("/login", Map.of("id", id, "password", "wrong password")).assertError(400, "password");
        api.post("/login", Map.of("id", "42", "password", "x")).assertError(400, "id");
        api.post("/login", Map.of("id", id)).assertError(400, "password");
    }

    @Test
    void requestIdIsEchoedOrGenerated() {
        var given = api.get("/user/get/" + UUID.randomUUID(), "X-Request-Id", "trace-42");
        assertThat(given.header("X-Request-Id")).isEqualTo("trace-42");
        given.assertError(404, null);

        var generated = api.get("/user/get/" + UUID.randomUUID());
        assertThat(generated.header("X-Request-Id")).isNotBlank();
        assertThat(generated.json().path("request_id").asString()).isEqualTo(generated.header("X-Request-Id"));

        var unsafe = api.get("/user/get/" + UUID.randomUUID(), "X-Request-Id", "<script>");
        assertThat(unsafe.header("X-Request-Id")).isNotEqualTo("<script>").isNotBlank();
    }

    @Test
    void searchIsACaseInsensitivePrefixMatchOnBothNamesInAStableOrder() {
        String tag = "Тест" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        insert(tag + "ова", "Анна");
        insert(tag + "ов", "Алексей");
        insert(tag + "ов", "Андрей");
        insert(tag + "ов", "Борис");
        insert(tag + "ин", "Алла");

        var hits = api.get("/user/search?first_name=" + q("ал") + "&last_name=" + q(tag.toUpperCase()));
        assertThat(hits.status()).isEqualTo(200);
        assertThat(names(hits.json())).containsExactly(tag + "ин Алла", tag + "ов Алексей");

        var prefixOnly = api.get("/user/search?first_name=" + q("А") + "&last_name=" + q(tag + "ов"));
        assertThat(names(prefixOnly.json())).containsExactly(
                tag + "ов Алексей", tag + "ов Андрей", tag + "ова Анна");

        var none = api.get("/user/search?first_name=" + q("%") + "&last_name=" + q(tag));
        assertThat(none.json().size()).isZero();
    }

    @Test
    void searchReturnsAtMost100ProfilesInIdOrderForEqualNames() {
        String tag = "Кап" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        for (int i = 0; i < 105; i++) {
            insert(tag, "Мария");
        }
        JsonNode page = api.get("/user/search?first_name=" + q("мар") + "&last_name=" + q(tag)).json();
        assertThat(page.size()).isEqualTo(100);
        List<String> ids = new ArrayList<>();
        page.forEach(u -> ids.add(u.path("id").asString()));
        // PostgreSQL orders uuid by its bytes, i.e. by the lower-case canonical text
        assertThat(ids).isSorted();
    }

    @Test
    void searchWithoutBothNamesIs400() {
        api.get("/user/search?first_name=" + q("Ив")).assertError(400, "last_name");
        api.get("/user/search?last_name=" + q("Ив")).assertError(400, "first_name");
        api.get("/user/search?first_name=&last_name=" + q("Ив")).assertError(400, "first_name");
        api.get("/user/search?first_name=" + q("Ив") + "&last_name=" + q("  ")).assertError(400, "last_name");
        api.get("/user/search?first_name=" + q("И".repeat(101)) + "&last_name=" + q("Ив")).assertError(400,
                "first_name");
    }

    @Test
    void healthAndTheContractAreServed() {
        // metrics and health details are on the loopback management port: web.ActuatorExposureIT
        assertThat(api.get("/actuator/health").json().path("status").asString()).isEqualTo("UP");
        assertThat(api.get("/openapi.json").json().path("paths").has("/user/search")).isTrue();
    }

    private void insert(String secondName, String firstName) {
        jdbc.sql("""
                insert into users (id, first_name, second_name, birthdate, password_hash)
                values (:id, :first, :second, date '1990-01-01', 'not-a-login-user')
                """).param("id", UUID.randomUUID()).param("first", firstName).param("second", secondName).update();
    }

    private static List<String> names(JsonNode users) {
        List<String> names = new ArrayList<>();
        users.forEach(u -> names.add(u.path("second_name").asString() + " " + u.path("first_name").asString()));
        return names;
    }

    private long userCount() {
        return jdbc.sql("select count(*) from users").query(Long.class).single();
    }

    private static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
        body.put(field, value);
        return body;
    }

    private static Map<String, Object> without(Map<String, Object> body, String field) {
        body.remove(field);
        return body;
    }
}
