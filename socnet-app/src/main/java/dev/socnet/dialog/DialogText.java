package dev.socnet.dialog;

/**
 * The limits of a dialog message and a dialog page, as documented in {@code openapi.json}; the
 * socnet-dialogs service enforces the same ones (its {@code DialogMessage}, {@code DialogController}).
 */
final class DialogText {

    /**
     * Longest text, in characters (UTF-16 code units, as {@code @Size} counts): a long chat message.
     * Even fully JSON-escaped, a request with it stays below the 64 KiB body limit.
     */
    static final int MAX_CHARS = 4096;

    /** Messages of a list page when the client names no {@code limit}. */
    static final int DEFAULT_LIMIT = 50;

    /** Largest {@code limit}: one FETCH (100 rows) from the dialog's worker. */
    static final int MAX_LIMIT = 100;

    private DialogText() {
    }
}
