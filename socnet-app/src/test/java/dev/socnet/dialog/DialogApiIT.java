package dev.socnet.dialog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.socnet.ApiClient;
import dev.socnet.IntegrationTest;
import dev.socnet.feed.SocialApi;
import dev.socnet.feed.SocialApiIntegration;
import dev.socnet.feed.SocialApi.Account;
import tools.jackson.databind.JsonNode;

/**
 * {@code /dialog/{user_id}/send} and {@code /dialog/{user_id}/list} through the gateway, against the
 * real socnet-dialogs service and its sharded database that {@code ./socnet test} starts. Every
 * exchange is checked against openapi.json by {@link ApiClient}.
 */
@IntegrationTest
class DialogApiIT extends SocialApiIntegration {

    @Test
    void bothParticipantsSeeTheSameDialogNewestFirst() {
        Account anna = social.register("Анна");
        Account boris = social.register("Борис");

        send(anna, boris, "Привет, Борис!");
        send(boris, anna, "Привет, Анна");
        send(anna, boris, "Как дела?");

        JsonNode annas = list(anna, boris, "");
        assertThat(texts(annas)).containsExactly("Как дела?", "Привет, Анна", "Привет, Борис!");
        assertThat(annas.get(0).path("from").asString()).isEqualTo(anna.id());
        assertThat(annas.get(0).path("to").asString()).isEqualTo(boris.id());
        assertThat(annas.get(1).path("from").asString()).isEqualTo(boris.id());
        assertThat(annas.get(1).path("to").asString()).isEqualTo(anna.id());
        UUID newest = UUID.fromString(annas.get(0).path("id").asString());
        assertThat(newest.version()).as("message ids are UUIDv7").isEqualTo(7);
        assertThat(annas.get(0).path("created_at").asString()).endsWith("Z");

        assertThat(list(boris, anna, "")).as("Boris sees the very same dialog").isEqualTo(annas);
    }

    @Test
    void aDialogIsPrivateToItsTwoParticipants() {
        Account anna = social.register("Анна");
        Account boris = social.register("Борис");
        Account vera = social.register("Вера");
        send(anna, boris, "только для Бориса");

        assertThat(list(vera, anna, "")).isEmpty();
        assertThat(list(vera, boris, "")).isEmpty();
        assertThat(list(anna, vera, "")).isEmpty();
    }

    @Test
    void aUserMayWriteToThemself() {
        Account anna = social.register("Анна");
        send(anna, anna, "заметка себе");

        JsonNode notes = list(anna, anna, "");
        assertThat(texts(notes)).containsExactly("заметка себе");
        assertThat(notes.get(0).path("from").asString()).isEqualTo(anna.id());
        assertThat(notes.get(0).path("to").asString()).isEqualTo(anna.id());
    }

    @Test
    void pagesWithLimitAndBeforeWalkTheWholeDialogOnce() {
        Account anna = social.register("Анна");
        Account boris = social.register("Борис");
        for (int i = 1; i <= 7; i++) {
            send(i % 2 == 0 ? boris : anna, i % 2 == 0 ? anna : boris, "сообщение " + i);
        }

        List<String> walked = new ArrayList<>();
        String before = null;
        List<Integer> pageSizes = new ArrayList<>();
        while (true) {
            JsonNode page = list(anna, boris, "?limit=3" + (before == null ? "" : "&before=" + before));
            if (page.isEmpty()) {
                break;
            }
            pageSizes.add(page.size());
            walked.addAll(texts(page));
            before = page.get(page.size() - 1).path("id").asString();
        }
        assertThat(pageSizes).containsExactly(3, 3, 1);
        assertThat(walked).containsExactly("сообщение 7", "сообщение 6", "сообщение 5", "сообщение 4",
                "сообщение 3", "сообщение 2", "сообщение 1");

        assertThat(texts(list(boris, anna, "?limit=1"))).containsExactly("сообщение 7");
        assertThat(list(boris, anna, "")).as("default limit (50) covers this dialog").hasSize(7);
    }

    @Test
    void textIsRequiredNotBlankAndAtMost4096Characters() {
        Account anna = social.register("Анна");
        Account boris = social.register("Борис");
        String path = "/dialog/" + boris.id() + "/send";

        api.post(path, Map.of(), anna.auth()).assertError(400, "text");
        api.post(path, Map.of("text", " \n "), anna.auth()).assertError(400, "text");
        api.post(path, Map.of("text", "ж".repeat(4097)), anna.auth()).assertError(400, "text");
        api.post(path, Map.of("text", 42), anna.auth()).assertError(400, "text");
        api.post(path, Map.of("text", "x", "subject", "y"), anna.auth()).assertError(400, "subject");
        api.post(path, "{\"text\": ", anna.auth()).assertError(400, null);
        assertThat(list(anna, boris, "")).as("nothing was stored").isEmpty();

        send(anna, boris, "ж".repeat(4096));
        assertThat(texts(list(boris, anna, "")).getFirst()).hasSize(4096);
    }

    @Test
    void unknownOrMalformedUsersAndBadPagingAreRefused() {
        Account anna = social.register("Анна");
        Account boris = social.register("Борис");
        String stranger = UUID.randomUUID().toString();

        api.post("/dialog/" + stranger + "/send", Map.of("text", "эй"), anna.auth()).assertError(404, null);
        api.get("/dialog/" + stranger + "/list", anna.auth()).assertError(404, null);
        api.post("/dialog/not-a-uuid/send", Map.of("text", "эй"), anna.auth()).assertError(400, "user_id");
        api.get("/dialog/not-a-uuid/list", anna.auth()).assertError(400, "user_id");

        String list = "/dialog/" + boris.id() + "/list";
        api.get(list + "?limit=0", anna.auth()).assertError(400, "limit");
        api.get(list + "?limit=101", anna.auth()).assertError(400, "limit");
        api.get(list + "?limit=ten", anna.auth()).assertError(400, "limit");
        api.get(list + "?before=yesterday", anna.auth()).assertError(400, "before");
        assertThat(api.get(list + "?limit=100", anna.auth()).status()).isEqualTo(200);
    }

    @Test
    void withoutAValidTokenDialogsAre401() {
        Account boris = social.register("Борис");
        api.post("/dialog/" + boris.id() + "/send", Map.of("text", "кто я?")).assertError(401, null);
        api.get("/dialog/" + boris.id() + "/list").assertError(401, null);
        api.get("/dialog/" + boris.id() + "/list", "Authorization", "Bearer not.a.token").assertError(401, null);
    }

    private void send(Account from, Account to, String text) {
        var response = api.post("/dialog/" + to.id() + "/send", Map.of("text", text), from.auth());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
    }

    private JsonNode list(Account reader, Account other, String query) {
        var response = api.get("/dialog/" + other.id() + "/list" + query, reader.auth());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static List<String> texts(JsonNode messages) {
        List<String> texts = new ArrayList<>();
        messages.forEach(m -> texts.add(m.path("text").asString()));
        return texts;
    }
}
