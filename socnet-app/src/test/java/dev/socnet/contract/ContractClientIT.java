package dev.socnet.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.socnet.IntegrationTest;
import dev.socnet.contractclient.ApiClient;
import dev.socnet.contractclient.ApiException;
import dev.socnet.contractclient.api.DefaultApi;
import dev.socnet.contractclient.model.DialogMessage;
import dev.socnet.contractclient.model.DialogUserIdSendPostRequest;
import dev.socnet.contractclient.model.LoginPostRequest;
import dev.socnet.contractclient.model.Post;
import dev.socnet.contractclient.model.PostCreatePostRequest;
import dev.socnet.contractclient.model.PostUpdatePutRequest;
import dev.socnet.contractclient.model.User;
import dev.socnet.contractclient.model.UserRegisterPostRequest;

/**
 * socnet as a stranger sees it: a Java client that openapi-generator (java, native library) makes
 * from the served contract at build time ({@code static/openapi.json}, see socnet-app's pom), used
 * unchanged, sending only what the contract requires. Its requests differ from ours where the
 * contract allows: no birthdate in a registration, {@code offset=0.0&limit=10.0} for the feed (the
 * contract types both as {@code number}), {@code null} for absent optional properties.
 */
@IntegrationTest
class ContractClientIT {

    static final Duration FAN_OUT = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    private DefaultApi anonymous;

    @BeforeEach
    void client() {
        anonymous = new DefaultApi(client(null));
    }

    private ApiClient client(String token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri("http://127.0.0.1:" + port);
        if (token != null) {
            client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        }
        return client;
    }

    /** A user registered with names and password only, logged in: their id and an API bound to their token. */
    private record Member(String id, DefaultApi api) {
    }

    private Member member(String firstName, String secondName) throws ApiException {
        String password = "correct horse " + firstName;
        String id = anonymous.userRegisterPost(new UserRegisterPostRequest()
                .firstName(firstName).secondName(secondName).password(password)).getUserId();
        String token = anonymous.loginPost(new LoginPostRequest().id(id).password(password)).getToken();
        assertThat(token).isNotBlank();
        return new Member(id, new DefaultApi(client(token)));
    }

    @Test
    void aGeneratedClientDrivesEveryPathOfTheContract() throws ApiException {
        String surname = "Контрактов" + System.nanoTime();
        Member alice = member("Алиса", surname);
        Member bob = member("Борис", surname);

        User profile = anonymous.userGetIdGet(alice.id());
        assertThat(profile.getFirstName()).isEqualTo("Алиса");
        assertThat(profile.getSecondName()).isEqualTo(surname);
        assertThat(profile.getBirthdate()).as("no birthdate was given").isNull();

        List<User> found = anonymous.userSearchGet("Бор", surname);
        assertThat(found).extracting(User::getId).containsExactly(bob.id());
        assertThat(found.getFirst().getBirthdate()).isNull();

        alice.api().friendSetUserIdPut(bob.id());
        String postId = bob.api().postCreatePost(null, new PostCreatePostRequest().text("Первый пост"));
        // the Idempotency-Key extension: a retried create answers the first id
        String retried = bob.api().postCreatePost("contract-retry-1", new PostCreatePostRequest().text("Повтор"));
        assertThat(bob.api().postCreatePost("contract-retry-1", new PostCreatePostRequest().text("Повтор")))
                .isEqualTo(retried);
        bob.api().postDeleteIdPut(retried);
        assertThat(bob.api().postGetIdGet(postId).getText()).isEqualTo("Первый пост");
        bob.api().postUpdatePut(new PostUpdatePutRequest().id(postId).text("Исправленный пост"));
        assertThat(anonymous.postGetIdGet(postId).getText()).isEqualTo("Исправленный пост");

        // fan-out on write is asynchronous: the post reaches the follower's feed within moments
        await().atMost(FAN_OUT).untilAsserted(() -> assertThat(
                alice.api().postFeedGet(new BigDecimal("0.0"), new BigDecimal("10.0")))
                .extracting(Post::getId).containsExactly(postId));
        List<Post> feed = alice.api().postFeedGet(new BigDecimal("0.0"), new BigDecimal("10.0"));
        assertThat(feed.getFirst().getAuthorUserId()).isEqualTo(bob.id());
        assertThat(alice.api().postFeedGet(null, null)).extracting(Post::getId).containsExactly(postId);

        bob.api().postDeleteIdPut(postId);
        assertThatThrownBy(() -> anonymous.postGetIdGet(postId))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
        await().atMost(FAN_OUT).untilAsserted(() ->
                assertThat(alice.api().postFeedGet(new BigDecimal("0.0"), new BigDecimal("10.0"))).isEmpty());

        alice.api().friendDeleteUserIdPut(bob.id());
        String laterPost = bob.api().postCreatePost(null, new PostCreatePostRequest().text("После отписки"));
        assertThat(alice.api().postFeedGet(new BigDecimal("0"), new BigDecimal("1e1")))
                .extracting(Post::getId).doesNotContain(laterPost);

        alice.api().dialogUserIdSendPost(bob.id(), null, new DialogUserIdSendPostRequest().text("Привет, Борис"));
        bob.api().dialogUserIdSendPost(alice.id(), null, new DialogUserIdSendPostRequest().text("Привет, Алиса"));
        List<DialogMessage> dialog = alice.api().dialogUserIdListGet(bob.id(), null, null);
        assertThat(dialog).extracting(DialogMessage::getText).containsExactly("Привет, Алиса", "Привет, Борис");
        assertThat(dialog).extracting(DialogMessage::getFrom).containsExactly(bob.id(), alice.id());
    }

    @Test
    void errorsReachTheGeneratedClientAsTheContractsStatusesWithANamedField() throws ApiException {
        Member carol = member("Карина", "Ошибкина" + System.nanoTime());

        AtomicReference<ApiException> fractional = new AtomicReference<>();
        assertThatThrownBy(() -> carol.api().postFeedGet(new BigDecimal("1.5"), null))
                .isInstanceOfSatisfying(ApiException.class, fractional::set);
        assertThat(fractional.get().getCode()).isEqualTo(400);
        assertThat(fractional.get().getResponseBody()).contains("\"field\":\"offset\"").contains("whole number");

        assertThatThrownBy(() -> anonymous.userRegisterPost(new UserRegisterPostRequest()
                .firstName("Без\u0000имени").secondName("Нулев").password("correct horse")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(400);
                    assertThat(e.getResponseBody()).contains("\"field\":\"first_name\"").contains("U+0000");
                });

        assertThatThrownBy(() -> anonymous.userRegisterPost(new UserRegisterPostRequest()
                .firstName("Без").secondName("Пароля")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(400);
                    assertThat(e.getResponseBody()).contains("\"field\":\"password\"");
                });
    }
}
