package bilinear.engine;

/**
 * Input from the user or from a file was rejected. The message is one line meant for the user:
 * what was wrong and, when useful, what to do instead.
 */
public class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
