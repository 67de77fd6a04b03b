package bilinear.linalg;

/** A backend was asked for explicitly but cannot run here; the message says why. */
public final class BackendUnavailableException extends Exception {
    public BackendUnavailableException(String message) {
        super(message);
    }
}
