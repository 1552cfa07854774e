package dev.socnet.post;

/** The limits of a post's text, as documented in {@code openapi.json} and checked by the database (V11). */
public final class PostText {

    /**
     * Longest accepted text, in characters (UTF-16 code units, as {@code @Size} counts). 5000 is
     * room for a long post (about two printed pages) while a request with it stays well below the
     * 64 KiB body limit even when every character is JSON-escaped.
     */
    public static final int MAX_CHARS = 5000;

    private PostText() {
    }
}
