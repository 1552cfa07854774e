package dev.socnet.friend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.socnet.IntegrationTest;
import dev.socnet.feed.SocialApi;
import dev.socnet.feed.SocialApiIntegration;
import dev.socnet.feed.SocialApi.Account;

/** PUT /friend/set/{user_id} and /friend/delete/{user_id} over HTTP against the real services. */
@IntegrationTest
class FriendApiIT extends SocialApiIntegration {

    @Test
    void followingShowsTheFolloweesPostsAndRepeatingItChangesNothing() {
        Account author = social.register("Автор");
        Account reader = social.register("Читатель");
        String post = social.post(author, "первый пост");

        var first = api.put("/friend/set/" + author.id(), null, reader.auth());
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body()).isEmpty();
        var again = api.put("/friend/set/" + author.id(), null, reader.auth());
        assertThat(again.status()).isEqualTo(200);

        assertThat(social.feedIds(reader)).containsExactly(post);
        assertThat(social.feedIds(author)).as("following is one-way").isEmpty();
    }

    @Test
    void unfollowingHidesThePostsAndRepeatingItChangesNothing() {
        Account author = social.register("Автор");
        Account reader = social.register("Читатель");
        social.post(author, "пост");
        social.follow(reader, author);

        var first = api.put("/friend/delete/" + author.id(), null, reader.auth());
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body()).isEmpty();
        assertThat(api.put("/friend/delete/" + author.id(), null, reader.auth()).status()).isEqualTo(200);

        assertThat(social.feedIds(reader)).isEmpty();
    }

    @Test
    void unfollowingSomeoneNeverFollowedIsFine() {
        Account author = social.register("Автор");
        Account reader = social.register("Читатель");
        assertThat(api.put("/friend/delete/" + author.id(), null, reader.auth()).status()).isEqualTo(200);
    }

    @Test
    void followingYourselfIs400() {
        Account user = social.register("Нарцисс");
        api.put("/friend/set/" + user.id(), null, user.auth()).assertError(400, "user_id");
        api.put("/friend/delete/" + user.id(), null, user.auth()).assertError(400, "user_id");
    }

    @Test
    void followingAnUnknownUserIs404() {
        Account user = social.register("Искатель");
        api.put("/friend/set/" + UUID.randomUUID(), null, user.auth()).assertError(404, null);
        api.put("/friend/delete/" + UUID.randomUUID(), null, user.auth()).assertError(404, null);
    }

    @Test
    void aMalformedUserIdIs400() {
        Account user = social.register("Опечатка");
        api.put("/friend/set/not-a-uuid", null, user.auth()).assertError(400, "user_id");
        api.put("/friend/delete/1-1-1-1-1", null, user.auth()).assertError(400, "user_id");
    }

    @Test
    void withoutAValidTokenIs401() {
        Account author = social.register("Автор");
        api.put("/friend/set/" + author.id(), null).assertError(401, null);
        api.put("/friend/delete/" + author.id(), null).assertError(401, null);
        api.put("/friend/set/" + author.id(), null, "Authorization", "Bearer not.a.token").assertError(401, null);
    }
}
