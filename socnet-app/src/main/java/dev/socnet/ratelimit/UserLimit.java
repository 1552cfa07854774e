package dev.socnet.ratelimit;

/**
 * The kinds of writes limited per user, each with its own allowance ({@code socnet.rate-limits.limits.<id>}).
 */
public enum UserLimit {

    /** {@code POST /post/create}, {@code PUT /post/update}, {@code PUT /post/delete/{id}}, together. */
    POSTS("posts"),
    /** {@code PUT /friend/set/{user_id}} and {@code PUT /friend/delete/{user_id}} (follow, unfollow), together. */
    FOLLOWS("follows"),
    /** {@code POST /dialog/{user_id}/send}, to any peer. */
    DIALOG_MESSAGES("dialog-messages");

    private final String id;

    UserLimit(String id) {
        this.id = id;
    }

    /** The limit's name in configuration, error messages and the metric's {@code limit} tag, e.g. {@code dialog-messages}. */
    public String id() {
        return id;
    }
}
