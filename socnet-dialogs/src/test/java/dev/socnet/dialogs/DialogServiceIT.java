package dev.socnet.dialogs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import tools.jackson.databind.JsonNode;

/**
 * The internal API against the real dialog coordinator and workers that {@code ./socnet test} starts
 * (database "dialogs"; every test uses fresh random user ids).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "socnet.dialogs.gateway-secret=" + InternalApi.SECRET)
class DialogServiceIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    InternalApi api;
    UUID anna = UUID.randomUUID();
    UUID boris = UUID.randomUUID();

    @BeforeEach
    void client() {
        api = new InternalApi(port);
    }

    @Test
    void bothParticipantsReadTheSameDialogNewestFirst() {
        JsonNode sent = ok(api.send(anna, boris, "Привет"));
        assertThat(sent.path("from").asString()).isEqualTo(anna.toString());
        assertThat(sent.path("to").asString()).isEqualTo(boris.toString());
        assertThat(sent.path("dialog_id").asString()).isEqualTo(DialogId.between(anna, boris).toString());
        ok(api.send(boris, anna, "И тебе привет"));

        JsonNode annas = ok(api.page(anna, boris, ""));
        assertThat(texts(annas)).containsExactly("И тебе привет", "Привет");
        assertThat(ok(api.page(boris, anna, ""))).isEqualTo(annas);
        assertThat(annas.get(1).path("id").asString()).isEqualTo(sent.path("id").asString());
        assertThat(annas.get(1).path("created_at").asString()).isEqualTo(sent.path("created_at").asString());
    }

    @Test
    void pagesFollowTheBeforeCursor() {
        for (int i = 1; i <= 5; i++) {
            ok(api.send(anna, boris, "№" + i));
        }
        JsonNode first = ok(api.page(anna, boris, "?limit=2"));
        assertThat(texts(first)).containsExactly("№5", "№4");
        String cursor = first.get(1).path("id").asString();
        assertThat(texts(ok(api.page(boris, anna, "?limit=2&before=" + cursor)))).containsExactly("№3", "№2");
        assertThat(texts(ok(api.page(anna, boris, "?limit=100&before=" + cursor)))).containsExactly("№3", "№2", "№1");
    }

    @Test
    void onlyTheGatewayWithTheSecretIsServed() {
        String path = "/dialogs/" + boris + "/messages";
        var none = api.exchange("GET", path, null, "X-User-Id", anna.toString());
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().path("code").asInt()).isEqualTo(401);
        String wrong = "x".repeat(InternalApi.SECRET.length());
        assertThat(api.exchange("GET", path, null, "X-User-Id", anna.toString(), "X-Gateway-Secret", wrong).status())
                .isEqualTo(401);
        assertThat(api.exchange("POST", path, "{\"text\": \"взлом\"}", "X-User-Id", anna.toString()).status())
                .isEqualTo(401);
        assertThat(texts(ok(api.page(anna, boris, "")))).as("nothing was stored").isEmpty();
        assertThat(api.exchange("GET", "/actuator/health/readiness", null).status())
                .as("health probes need no secret").isEqualTo(200);
        assertThat(api.exchange("GET", "/actuator/prometheus", null).status())
                .as("Prometheus scrapes without the secret").isEqualTo(200);
        assertThat(api.exchange("GET", "/actuator/metrics", null).status())
                .as("other actuator endpoints need the secret").isEqualTo(401);
    }

    @Test
    void badInputIs400NamingTheField() {
        assertThat(error(api.send(anna, boris, " "), 400)).isEqualTo("text");
        assertThat(error(api.send(anna, boris, "ж".repeat(DialogMessage.MAX_TEXT_CHARS + 1)), 400)).isEqualTo("text");
        assertThat(error(api.page(anna, boris, "?limit=0"), 400)).isEqualTo("limit");
        assertThat(error(api.page(anna, boris, "?limit=" + (DialogController.MAX_LIMIT + 1)), 400)).isEqualTo("limit");
        assertThat(error(api.page(anna, boris, "?before=42"), 400)).isEqualTo("before");
        assertThat(error(api.exchange("GET", "/dialogs/" + boris + "/messages", null,
                "X-Gateway-Secret", InternalApi.SECRET), 400)).isEqualTo("X-User-Id");
        assertThat(ok(api.send(anna, boris, "ж".repeat(DialogMessage.MAX_TEXT_CHARS))).path("text").asString())
                .hasSize(DialogMessage.MAX_TEXT_CHARS);
    }

    @Test
    void aBodyThatIsNotJsonIs415AndAnotherMethod405NeverA500() {
        String path = "/dialogs/" + boris + "/messages";
        var plain = api.exchange("POST", path, null, "X-Gateway-Secret", InternalApi.SECRET,
                "X-User-Id", anna.toString(), "Content-Type", "text/plain");
        assertThat(plain.status()).as(plain.body()).isEqualTo(415);
        assertThat(plain.json().path("request_id").asString()).isEqualTo(plain.header("X-Request-Id"));
        var delete = api.exchange("DELETE", path, null, "X-Gateway-Secret", InternalApi.SECRET,
                "X-User-Id", anna.toString());
        assertThat(delete.status()).as(delete.body()).isEqualTo(405);
        assertThat(delete.json().path("code").asInt()).isEqualTo(405);
    }

    @Test
    void theRequestIdOfTheGatewayIsKept() {
        var response = api.exchange("GET", "/dialogs/" + boris + "/messages?limit=0", null,
                "X-Gateway-Secret", InternalApi.SECRET, "X-User-Id", anna.toString(), "X-Request-Id", "gw-req-42");
        assertThat(response.header("X-Request-Id")).isEqualTo("gw-req-42");
        assertThat(response.json().path("request_id").asString()).isEqualTo("gw-req-42");
    }

    @Test
    void aDialogPageIsOneRouterTaskOnOneShardServedByItsPrimaryKey() {
        // What the Citus coordinator does with the service's SQL, as the service's role.
        String plan = String.join("\n", jdbc.sql("explain (costs off) " + DialogMessageRepository.OLDER)
                .params(Map.of("dialogId", DialogId.between(anna, boris).value(), "before", UUID.randomUUID(),
                        "limit", 50))
                .query(String.class).list());
        assertThat(plan).as(plan).contains("Custom Scan (Citus Adaptive)").contains("Task Count: 1");
        // On the worker the shard's primary key finds the dialog (an index scan backward once the dialog is
        // long; the worker's planner may sort a handful of rows instead: that is its choice, not a fan-out).
        assertThat(plan).as(plan).containsPattern("Index Cond: \\(.*dialog_id = ");
        assertThat(plan).as(plan).containsPattern("dialog_messages_pkey_\\d+");
        String insert = String.join("\n", jdbc.sql("explain (costs off) " + DialogMessageRepository.INSERT)
                .params(Map.of("dialogId", DialogId.between(anna, boris).value(), "id", UUID.randomUUID(),
                        "from", anna, "to", boris, "text", "x", "createdAt", java.time.OffsetDateTime.now()))
                .query(String.class).list());
        assertThat(insert).as(insert).contains("Task Count: 1");
    }

    @Test
    void theServiceRoleHasNoPlannerSettingsOfItsOwn() {
        // the one role-level setting left is the server-side statement_timeout (SOCNET_DIALOGS_STATEMENT_TIMEOUT)
        assertThat(jdbc.sql("""
                        select count(*) from pg_db_role_setting s join pg_roles r on r.oid = s.setrole,
                               unnest(s.setconfig) setting
                         where setting not like 'statement_timeout=%'""")
                .query(Integer.class).single()).as("role-level planner settings (the postgres_fdw design's) are gone").isZero();
    }

    private static JsonNode ok(InternalApi.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    /** Asserts the status and the error shape; returns the field blamed. */
    private static String error(InternalApi.Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        JsonNode body = response.json();
        assertThat(body.path("code").asInt()).isEqualTo(status);
        assertThat(body.path("request_id").asString()).isEqualTo(response.header("X-Request-Id"));
        assertThat(body.path("message").asString()).startsWith(body.path("field").asString());
        return body.path("field").asString();
    }

    private static List<String> texts(JsonNode messages) {
        List<String> texts = new ArrayList<>();
        messages.forEach(m -> texts.add(m.path("text").asString()));
        return texts;
    }
}
