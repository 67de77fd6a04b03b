package bilinear.cli;

import bilinear.engine.BadInputException;
import bilinear.linalg.Backend;
import bilinear.linalg.BackendUnavailableException;
import bilinear.linalg.Backends;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** Shared options choosing the compute backend. */
public final class BackendOptions {
    @Option(names = "--backend", paramLabel = "KIND", defaultValue = "auto",
            description = "auto, scalar, simd or cuda (default: ${DEFAULT-VALUE}); auto says what it chose and why")
    String backend;

    @Option(names = "--threads", paramLabel = "N",
            description = "worker threads including the main one (default: all ${sys:bilinear.cores} cores)")
    Integer threads;

    @Option(names = "--vector-bits", paramLabel = "BITS",
            description = "force the SIMD width (128, 256 or 512) instead of the CPU's preferred one")
    Integer vectorBits;

    public int threadCount() {
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (t < 1 || t > 1024) {
            throw new BadInputException("--threads must be between 1 and 1024, got " + t);
        }
        return t;
    }

    /** Checks the options without building anything. */
    public void validate() {
        checkName(backend);
        threadCount();
        if (vectorBits != null && vectorBits != 128 && vectorBits != 256 && vectorBits != 512) {
            throw new BadInputException("--vector-bits must be 128, 256 or 512, got " + vectorBits);
        }
    }

    /** Builds the backend and prints one line per candidate on {@code log}. */
    public Backend open(PrintWriter log) throws BackendUnavailableException {
        return open(log, false);
    }

    /**
     * As {@link #open(PrintWriter)} for a command that trains: the backend's self-check also warms
     * the training kernels up (see {@link Backends#create(Backends.Kind, int, boolean)}).
     */
    public Backend openForTraining(PrintWriter log) throws BackendUnavailableException {
        return open(log, true);
    }

    private Backend open(PrintWriter log, boolean forTraining) throws BackendUnavailableException {
        validate();
        if (vectorBits != null) {
            // read once when the SIMD kernels are first loaded, which has not happened yet
            System.setProperty("bilinear.simd.bits", vectorBits.toString());
        }
        Backends.Choice choice = Backends.create(Backends.Kind.parse(backend), threadCount(), forTraining);  // name checked above
        for (String line : choice.log()) {
            log.println("[backend] " + line);
        }
        return choice.backend();
    }

    /** Rejects an unknown backend name with the list of known ones. */
    static void checkName(String name) {
        try {
            Backends.Kind.parse(name);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
    }
}
