package dev.socnet.realtime;

import java.util.UUID;

import org.springframework.context.ApplicationContext;

/**
 * For tests outside this package that drive the live feed from a real client (a browser): whether the
 * application has registered a user's connection, so that a post made next is routed to it. A browser
 * sees its WebSocket open as soon as the handshake is answered, a moment before the server has
 * registered the connection; a test waits for both before it posts.
 */
public final class LiveFeedProbe {

    private LiveFeedProbe() {
    }

    /** @param userId the user's id, a UUID string */
    public static boolean connected(ApplicationContext application, String userId) {
        return application.getBean(LiveConnections.class).registered(UUID.fromString(userId));
    }
}
