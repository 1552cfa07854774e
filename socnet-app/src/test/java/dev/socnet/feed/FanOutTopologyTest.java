package dev.socnet.feed;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FanOutTopologyTest {

    static final FeedProperties.Amqp DERIVED = new FeedProperties.Amqp("", "", 2, 50);

    @Test
    void namesCarryTheDatabaseSoAppsOfDifferentDatabasesNeverShareAQueue() {
        var app = FanOutTopology.of(DERIVED, "jdbc:postgresql://127.0.0.1:15432/socnet");
        var tests = FanOutTopology.of(DERIVED, "jdbc:postgresql://127.0.0.1:15432/socnet_test");

        assertThat(app).isEqualTo(new FanOutTopology("socnet.feed.posts.socnet", "socnet.feed.fan-out.socnet"));
        assertThat(tests.queue()).isNotEqualTo(app.queue());
    }

    @Test
    void instancesReachingTheSameDatabaseByOtherUrlsShareTheQueue() {
        var primaryOnly = FanOutTopology.of(DERIVED, "jdbc:postgresql://127.0.0.1:15432/socnet");
        var clusterUrl = FanOutTopology.of(DERIVED,
                "jdbc:postgresql://127.0.0.1:15432,127.0.0.1:15433,127.0.0.1:15434/socnet?targetServerType=primary");
        assertThat(clusterUrl).isEqualTo(primaryOnly);
    }

    @Test
    void configuredNamesWin() {
        var configured = FanOutTopology.of(new FeedProperties.Amqp("x.posts", "x.fan-out", 1, 1),
                "jdbc:postgresql://127.0.0.1:15432/socnet");
        assertThat(configured).isEqualTo(new FanOutTopology("x.posts", "x.fan-out"));
    }
}
