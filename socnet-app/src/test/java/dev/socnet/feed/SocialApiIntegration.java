package dev.socnet.feed;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.socnet.ApiClient;

/**
 * Base of the integration tests that drive the social API over HTTP: the app's random port, an
 * {@link ApiClient} (every exchange validated against openapi.json) and a {@link SocialApi} on top of
 * it, fresh for each test. Subclasses carry {@code @IntegrationTest}.
 */
public abstract class SocialApiIntegration {

    @LocalServerPort
    protected int port;

    protected ApiClient api;
    protected SocialApi social;

    @BeforeEach
    void socialApiClient() {
        api = new ApiClient(port);
        social = new SocialApi(api);
    }
}
