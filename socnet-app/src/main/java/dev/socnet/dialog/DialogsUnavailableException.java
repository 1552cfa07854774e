package dev.socnet.dialog;

/** The socnet-dialogs service cannot be reached, timed out, or reports its database down: a 503. */
class DialogsUnavailableException extends RuntimeException {

    DialogsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
