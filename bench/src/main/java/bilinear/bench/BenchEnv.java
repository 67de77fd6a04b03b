package bilinear.bench;

import bilinear.linalg.Backend;
import bilinear.linalg.BackendUnavailableException;
import bilinear.linalg.Backends;
import bilinear.linalg.CounterRng;
import bilinear.linalg.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What every benchmark needs: a backend by name, seeded data, and a line saying where it ran. */
final class BenchEnv {
    private BenchEnv() {
    }

    /** A side-by-side's body, given its arguments. */
    interface Command {
        void run(String[] args) throws Exception;
    }

    /**
     * Runs a side-by-side's main: a failure (a bad option, a missing file, a failed run) is one
     * line on stderr and exit code 1; {@code --stacktrace} anywhere in the arguments shows the trace.
     */
    static void main(String[] args, Command command) {
        List<String> rest = new ArrayList<>(List.of(args));
        boolean trace = rest.remove("--stacktrace");
        try {
            command.run(rest.toArray(String[]::new));
        } catch (Exception e) {
            if (trace) {
                e.printStackTrace();
            }
            System.err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            System.exit(1);
        }
    }

    static Backend backend(String name, int threads) throws BackendUnavailableException {
        Backend be = Backends.create(Backends.Kind.parse(name), threads).backend();
        System.out.printf("%n# %s; JDK %s (%s); CPU %s%n", be.describe(), System.getProperty("java.version"),
                System.getProperty("java.vm.name"), cpu());
        return be;
    }

    /** The CPU's model name from /proc/cpuinfo, or the architecture when that is unreadable. */
    static String cpu() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim() + ", " + Runtime.getRuntime().availableProcessors() + " cores";
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return System.getProperty("os.arch");
    }

    /** Standard normal values from the counter-based generator. */
    static Tensor gaussian(long seed, int... dims) {
        Tensor t = Tensor.zeros(dims);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = CounterRng.gaussian(seed, i);
        }
        return t;
    }

    /** Uniform values in [0, 1) (pixels). */
    static Tensor uniform(long seed, int... dims) {
        Tensor t = Tensor.zeros(dims);
        int key = CounterRng.key1(seed);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = CounterRng.uniform(CounterRng.hash(i, key));
        }
        return t;
    }
}
