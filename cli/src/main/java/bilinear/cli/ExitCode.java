package bilinear.cli;

/** Every exit status the tool uses. */
public enum ExitCode {
    /** Done. */
    OK(0),
    /** A bug or an unexpected failure; {@code --stacktrace} shows the details. */
    INTERNAL_ERROR(1),
    /** The command line itself was wrong (unknown option, bad value). */
    USAGE(2),
    /** An input was wrong: a missing or malformed file, a dataset that is not there, an unwritable output. */
    BAD_INPUT(3),
    /** A backend asked for by name cannot run on this machine. */
    UNAVAILABLE(4),
    /** Stopped by Ctrl-C (128 + SIGINT). */
    INTERRUPTED(130);

    public final int code;

    ExitCode(int code) {
        this.code = code;
    }
}
