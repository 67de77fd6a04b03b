package bilinear.bench;

import bilinear.engine.decomp.Decomposer;
import bilinear.engine.decomp.OutputDirection;
import bilinear.engine.io.Checkpoint;
import bilinear.linalg.Backend;
import bilinear.linalg.BackendUnavailableException;
import bilinear.linalg.Backends;
import bilinear.linalg.CounterRng;
import bilinear.linalg.Parallel;
import java.nio.file.Path;
import java.util.function.IntConsumer;

/**
 * The matrices the eigensolver benchmarks decompose, and the way they spread them over threads.
 *
 * <p>With {@code -Dbilinear.eigen.checkpoint=PATH} (a trained image classifier) they are the
 * interaction matrices {@code Q(e_c)} of its classes, the workload of {@code bilinear decompose};
 * the matrix size must then equal the model's width. Otherwise they are seeded symmetric Gaussian
 * matrices (a semicircle spectrum: no deflation helps the divide and conquer, and the Krylov
 * solver meets crowded extreme eigenvalues, so a harder case than trained models).
 */
final class EigenMatrices {
    private EigenMatrices() {
    }

    static final String CHECKPOINT = "bilinear.eigen.checkpoint";

    static double[][] make(int count, int n) throws BackendUnavailableException {
        String path = System.getProperty(CHECKPOINT);
        double[][] out = new double[count][];
        if (path != null && !path.isBlank()) {
            Checkpoint.Loaded loaded = Checkpoint.load(Path.of(path));
            Backend be = Backends.create(Backends.Kind.AUTO, 1).backend();
            Decomposer dec = new Decomposer(loaded.model(), be);
            int classes = dec.outputs();
            for (int i = 0; i < count; i++) {
                out[i] = dec.interactionMatrix(0, dec.headDirection(OutputDirection.ofClass(i % classes, classes)));
            }
            if (out[0].length != (long) n * n) {
                throw new IllegalArgumentException(path + " has " + (int) Math.sqrt(out[0].length) + "×"
                        + (int) Math.sqrt(out[0].length) + " interaction matrices; run with -p n=" + (int) Math.sqrt(out[0].length));
            }
            return out;
        }
        for (int m = 0; m < count; m++) {
            double[] a = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    double g = CounterRng.gaussian(m + 1, i * n + j);
                    a[i * n + j] = g;
                    a[j * n + i] = g;
                }
            }
            out[m] = a;
        }
        return out;
    }

    /** What the matrices are, for the report line. */
    static String describe() {
        String path = System.getProperty(CHECKPOINT);
        return path == null || path.isBlank() ? "seeded symmetric Gaussian matrices" : "class interaction matrices of " + path;
    }

    /** Runs {@code body(i)} for i in [0, count) on {@code threads} threads, each taking every threads-th i (as the decomposer does). */
    static void spread(Parallel parallel, int count, IntConsumer body) {
        int threads = parallel.threads();
        parallel.forEachPart(threads, t -> {
            for (int i = t; i < count; i += threads) {
                body.accept(i);
            }
        });
    }

    static String machine() {
        return String.format("JDK %s, %s %s, %d cores", System.getProperty("java.version"), System.getProperty("os.arch"),
                cpuName(), Runtime.getRuntime().availableProcessors());
    }

    private static String cpuName() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // fall through
        }
        return "(cpu unknown)";
    }
}
