package bilinear.bench;

import bilinear.linalg.BackendUnavailableException;
import bilinear.linalg.Parallel;
import bilinear.linalg.eigen.DoubleKernels;
import bilinear.linalg.eigen.LeadingEigen;
import bilinear.linalg.eigen.LeadingPairs;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The k leading eigenpairs (largest |λ|, residual within {@link LeadingEigen#DEFAULT_TOLERANCE}
 * of the largest) of ten {@code n × n} matrices, one per thread at a time. Prints how many block
 * products the Krylov iteration took and how many matrices fell back to the dense solver.
 * Matrices as in {@link EigenBenchmark} (use the checkpoint property for a trained model's).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LeadingEigenBenchmark {
    static final int MATRICES = 10;

    @Param({"512"})
    public int n;

    @Param({"2", "16"})
    public int k;

    @Param({"1", "2"})
    public int threads;

    double[][] matrices;
    Parallel parallel;

    @Setup(Level.Trial)
    public void setUp() throws BackendUnavailableException {
        matrices = EigenMatrices.make(MATRICES, n);
        parallel = new Parallel(threads);
        LeadingPairs[] once = topK();
        int products = 0, dense = 0;
        for (LeadingPairs p : once) {
            products += p.products();
            dense += p.dense() ? 1 : 0;
        }
        System.out.printf("%n# top-%d of %d %s, %d×%d: %d block products in all, %d dense fallbacks; double kernels %s, %d thread%s; %s%n",
                k, MATRICES, EigenMatrices.describe(), n, n, products, dense, DoubleKernels.best().name(), threads,
                threads == 1 ? "" : "s", EigenMatrices.machine());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        parallel.close();
    }

    @Benchmark
    public LeadingPairs[] topK() {
        LeadingPairs[] out = new LeadingPairs[MATRICES];
        EigenMatrices.spread(parallel, MATRICES, i -> out[i] = LeadingEigen.of(matrices[i], n, k));
        return out;
    }
}
