package dev.socnet.webclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.Keys;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import dev.socnet.ApiClient;
import dev.socnet.IntegrationTest;
import dev.socnet.LoopbackProxy;
import dev.socnet.feed.SocialApi;
import dev.socnet.feed.SocialApi.Account;
import dev.socnet.realtime.LiveFeedProbe;

/**
 * The web client (static/index.html, static/app/) in two headless Chromium sessions against the whole
 * application and the real services: what two people see when they register, find and follow each
 * other, post, write to each other, mistype a password, edit and delete a post and scroll their feed.
 * Assertions read the page's visible text. Each page the people pass through is saved as a PNG
 * ({@code target/ui/}, or the README's {@code docs/ui/} with {@code SOCNET_UI_SCREENSHOTS=docs}).
 *
 * <p>Names are fixed (they show in the screenshots): {@code ./socnet test} gives every run a fresh
 * database, so a name prefix finds only this run's people. Setup that is not under test (extra accounts, fifteen posts to scroll through) goes through the
 * API ({@link SocialApi}); everything asserted is done in the browser.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebClientIT {

    /** The bound: a followee's post is on the follower's open feed within 2 s. */
    static final Duration LIVE_WITHIN = Duration.ofSeconds(2);

    static final String PASSWORD = SocialApi.PASSWORD;

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext application;

    SocialApi social;
    /** Alice's browser reaches the app through this relay, which can drop her connections. */
    LoopbackProxy aliceNetwork;
    Browser alice;
    Browser boris;

    @BeforeAll
    void openTwoBrowsers() throws IOException {
        social = new SocialApi(new ApiClient(port));
        aliceNetwork = new LoopbackProxy(port);
        alice = Browser.open(aliceNetwork.port());
        boris = Browser.open(port);
    }

    @AfterAll
    void closeBrowsers() {
        if (alice != null) {
            alice.close();
        }
        if (boris != null) {
            boris.close();
        }
        if (aliceNetwork != null) {
            aliceNetwork.close();
        }
    }

    @Test
    void aFollowerSeesTheNewPostsOfWhomTheyFoundAndFollowedWithoutReloadingAlsoAfterALostConnection() {
        String aliceSurname = "Селенова";
        String borisSurname = "Хромов";
        String aliceId = register(alice, "Алиса", aliceSurname, "register");
        register(boris, "Борис", borisSurname, null);

        alice.click("Люди");
        alice.type("Имя начинается с", "бор");
        alice.type("Фамилия начинается с", borisSurname.substring(0, borisSurname.length() - 2).toLowerCase());
        alice.waitForText("Борис " + borisSurname);
        alice.waitForText("Найдено: 1");
        alice.screenshot("people");

        alice.click("Борис " + borisSurname);
        alice.click("Подписаться");
        alice.waitForText("Вы подписаны");
        alice.screenshot("profile");

        alice.click("Лента");
        alice.waitForText("Живая лента подключена");
        // the socket may open before the first page of the feed has been read: wait for the page's answer
        alice.waitForText("В ленте пока пусто");
        // the page shows the socket open once the handshake is answered; the server registers it just after
        await().atMost(Browser.WAIT).until(() -> LiveFeedProbe.connected(application, aliceId));

        String post = "Первый пост Бориса: привет всем, кто читает!";
        boris.type("Текст поста", post);
        boris.click("Опубликовать");
        boris.waitForText("Пост опубликован");
        alice.waitForText(post, LIVE_WITHIN);
        assertThat(alice.itemText(post)).as("the post arrived live, marked as new, with its author")
                .contains("Новый пост").contains("Борис " + borisSurname);
        assertThat(alice.visibleText()).doesNotContain("В ленте пока пусто");
        alice.screenshot("feed");
        boris.screenshot("my-page");

        // the network drops Alice's connections: the page says so and reconnects
        aliceNetwork.dropConnections();
        alice.waitForText("Связь с живой лентой потеряна");
        alice.waitForText("Живая лента подключена");
        await().atMost(Browser.WAIT).until(() -> LiveFeedProbe.connected(application, aliceId));
        String later = "Второй пост Бориса, после переподключения";
        boris.type("Текст поста", later);
        boris.click("Опубликовать");
        boris.waitForText(later);
        alice.waitForText(later, LIVE_WITHIN);
        assertThat(alice.visibleText().indexOf(later)).as("newest first").isLessThan(alice.visibleText().indexOf(post));
    }

    @Test
    void twoPeopleWritingToEachOtherBothSeeTheDialogNewestFirst() {
        Account anna = social.register("Анна");
        Account bob = social.register("Борис");
        logIn(alice, anna);
        logIn(boris, bob);

        alice.open("/user/" + bob.id());
        alice.click("Написать сообщение");
        alice.waitForText("Диалог: Борис Лентова");
        String question = "Привет, Борис! Как дела?";
        alice.type("Сообщение", question);
        alice.click("Отправить");
        alice.waitForText(question);

        boris.open("/user/" + anna.id());
        boris.click("Написать сообщение");
        boris.waitForText(question);
        String answer = "Привет, Анна! Всё хорошо, пишу из браузера.";
        boris.type("Сообщение", answer);
        boris.click("Отправить");
        boris.waitForText(answer);

        alice.waitForText(answer);
        for (Browser reader : new Browser[] {alice, boris}) {
            String page = reader.visibleText();
            assertThat(page.indexOf(answer)).as("newest first").isLessThan(page.indexOf(question));
        }
        assertThat(alice.itemText(question)).contains("Вы");
        assertThat(alice.itemText(answer)).contains("Борис Лентова");
        assertThat(boris.itemText(question)).contains("Анна Лентова");
        assertThat(boris.itemText(answer)).contains("Вы");
        alice.screenshot("dialog");
    }

    @Test
    void aWrongPasswordShowsTheApisMessageNextToThePasswordField() {
        Account vera = social.register("Вера");
        var refused = social.http().post("/login", Map.of("id", vera.id(), "password", "not her password"));
        refused.assertError(400, "password");
        String apisMessage = refused.json().path("message").asString();

        alice.open("/login");
        alice.logOutIfLoggedIn();
        alice.type("Ваш id", vera.id());
        alice.type("Пароль", "not her password");
        alice.press("Пароль", Keys.ENTER);
        alice.waitForText(apisMessage);
        assertThat(alice.errorOf("Пароль")).isEqualTo(apisMessage);
        assertThat(alice.errorOf("Ваш id")).isEmpty();
        assertThat(alice.visibleText()).as("still on the login page, logged out").contains("Нет учётной записи?")
                .doesNotContain("Живая лента").doesNotContain("Выйти");
        alice.screenshot("login-error");
    }

    @Test
    void anAuthorEditsAndDeletesTheirPost() {
        Account dora = social.register("Дора");
        logIn(alice, dora);
        alice.click("Моя страница");
        alice.waitForText("Мои посты");

        String draft = "Первый вариант поста";
        String edited = "Исправленный вариант поста: опечатки больше нет";
        alice.type("Текст поста", draft);
        alice.click("Опубликовать");
        alice.waitForText("Пост опубликован");
        alice.clickInItem(draft, "Изменить");
        alice.type("Новый текст поста", edited);
        alice.click("Сохранить");
        alice.waitForText("Пост сохранён");
        alice.waitForText(edited);
        assertThat(alice.visibleText()).doesNotContain(draft);

        alice.reload();
        alice.waitForText(edited);
        assertThat(alice.visibleText()).as("the edit is the API's, not just the page's").doesNotContain(draft);

        alice.clickInItem(edited, "Удалить");
        alice.waitForText("Удалить этот пост?");
        alice.clickInItem(edited, "Удалить");
        alice.waitForText("Пост удалён");
        alice.waitForNoText(edited);

        alice.reload();
        alice.waitForText("Постов пока нет.");
        assertThat(alice.visibleText()).doesNotContain(edited);
    }

    @Test
    void theFeedLoadsItsNextPageWhenScrolledToTheEndAndFitsA360PixelScreen() {
        Account author = social.register("Писатель");
        Account reader = social.register("Читатель");
        social.follow(reader, author);
        for (int i = 1; i <= 15; i++) {
            social.post(author, "Пост №%02d. %s".formatted(i, LONG_TEXT));
        }
        await().atMost(Browser.WAIT).until(() -> social.feedIds(reader).size() == 15);

        logIn(boris, reader);
        boris.waitForText("Пост №15");
        boris.waitForText("Пост №06");
        assertThat(boris.visibleText()).as("only the first page of 10").doesNotContain("Пост №05");

        boris.scrollToEnd();
        boris.waitForText("Пост №01");
        boris.waitForText("Это все посты ленты.");
        String page = boris.visibleText();
        assertThat(page.indexOf("Пост №06")).isLessThan(page.indexOf("Пост №05"));

        boris.resize(360, 780);
        try {
            boris.reload();
            boris.waitForText("Пост №15");
            assertThat(boris.contentWidth()).as("no sideways scrolling at 360 px").isLessThanOrEqualTo(boris.viewportWidth());
            boris.screenshot("feed-360");
        } finally {
            boris.resize(Browser.WIDTH, Browser.HEIGHT);
        }
    }

    @Test
    void theClientsFilesAreServedToAnyoneWhileTheApiStaysClosed() {
        var page = social.http().get("/", "Accept", "text/html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).contains("/app/main.js");
        var script = social.http().get("/app/main.js");
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.header("Content-Type")).as("ES modules need a JavaScript type").startsWith("text/javascript");
        assertThat(social.http().get("/app/messages.ru.js").status()).isEqualTo(200);
        assertThat(social.http().get("/openapi.json").status()).as("the API docs are still served").isEqualTo(200);
        social.http().get("/post/feed").assertError(401, null);
        social.http().post("/app/main.js", "{}").assertError(401, null);
    }

    /** Registers in the browser; ends on one's own page. @return the id the page shows to log in with */
    private static String register(Browser browser, String firstName, String surname, String screenshot) {
        browser.open("/register");
        browser.logOutIfLoggedIn();
        browser.open("/register");
        browser.type("Имя", firstName);
        browser.type("Фамилия", surname);
        browser.type("Город (необязательно)", "Казань");
        browser.type("О себе (необязательно)", "Люблю длинные прогулки и короткие посты.");
        browser.type("Пароль", PASSWORD);
        if (screenshot != null) {
            browser.screenshot(screenshot);
        }
        browser.click("Зарегистрироваться");
        browser.waitForText("Ваш id для входа");
        browser.waitForText(firstName + " " + surname);
        return browser.textOf("code.user-id");
    }

    /** Logs in through the login form; ends on the feed. */
    private static void logIn(Browser browser, Account account) {
        browser.open("/login");
        browser.type("Ваш id", account.id());
        browser.type("Пароль", PASSWORD);
        browser.click("Войти");
        browser.waitForText("Живая лента");
    }

    /** Long enough that ten posts are taller than the window: the second page waits for a scroll. */
    static final String LONG_TEXT = """
            Сегодня гулял по набережной, смотрел на реку и думал о том, как быстро проходит осень.
            Листья уже почти облетели, по утрам иней, а днём всё ещё бывает солнечно.
            Зашёл в кофейню на углу, взял капучино и булочку с корицей, посидел у окна.
            Вечером дочитал книгу, которую давно откладывал, и остался доволен концом.
            Завтра планирую выбраться за город, если погода не подведёт.""";
}
