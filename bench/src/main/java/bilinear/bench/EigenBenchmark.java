package bilinear.bench;

import bilinear.linalg.BackendUnavailableException;
import bilinear.linalg.Parallel;
import bilinear.linalg.eigen.DoubleKernels;
import bilinear.linalg.eigen.EigenOrder;
import bilinear.linalg.eigen.EigenPairs;
import bilinear.linalg.eigen.EjmlEigen;
import bilinear.linalg.eigen.SymmetricEigen;
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
 * Full symmetric eigendecompositions (all eigenvalues and eigenvectors, double precision) of ten
 * {@code n × n} matrices, spread over {@code threads} threads one matrix at a time as
 * {@code bilinear decompose} does: the divide-and-conquer solver on the Vector API kernels
 * ({@code dc}), the same with its dense steps in single precision ({@code dc-single},
 * {@link SymmetricEigen.Precision#SINGLE}), on the plain-Java kernels ({@code dc-plain}) and EJML
 * ({@code ejml}). The time is
 * for all ten; the yardstick is {@code torch.linalg.eigh} on the same matrices
 * ({@code bench/torch_eigh.py}).
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar EigenBenchmark -p n=512
 *   java --add-modules jdk.incubator.vector -Dbilinear.eigen.checkpoint=runs/fm512.safetensors \
 *        -jar bench/target/benchmarks.jar EigenBenchmark -p n=512 -jvmArgsAppend -Dbilinear.eigen.checkpoint=runs/fm512.safetensors
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EigenBenchmark {
    static final int MATRICES = 10;

    @Param({"256", "512", "1024"})
    public int n;

    @Param({"dc", "dc-single", "dc-plain", "ejml"})
    public String solver;

    @Param({"1", "2"})
    public int threads;

    double[][] matrices;
    Parallel parallel;
    DoubleKernels kernels;

    @Setup(Level.Trial)
    public void setUp() throws BackendUnavailableException {
        matrices = EigenMatrices.make(MATRICES, n);
        parallel = new Parallel(threads);
        kernels = solver.equals("dc-plain") ? DoubleKernels.plain() : DoubleKernels.best();
        System.out.printf("%n# %d %s, %d×%d; solver %s (double kernels %s%s), %d thread%s; %s%n", MATRICES, EigenMatrices.describe(),
                n, n, solver, kernels.name(), DoubleKernels.whyPlain() == null ? "" : "; " + DoubleKernels.whyPlain(),
                threads, threads == 1 ? "" : "s", EigenMatrices.machine());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        parallel.close();
    }

    @Benchmark
    public EigenPairs[] tenMatrices() {
        EigenPairs[] out = new EigenPairs[MATRICES];
        EigenMatrices.spread(parallel, MATRICES, i -> out[i] = switch (solver) {
            case "ejml" -> EjmlEigen.decompose(matrices[i], n, EigenOrder.MAGNITUDE);
            case "dc-single" -> SymmetricEigen.decompose(matrices[i], n, EigenOrder.MAGNITUDE, SymmetricEigen.Precision.SINGLE);
            default -> SymmetricEigen.decompose(matrices[i], n, EigenOrder.MAGNITUDE, kernels);
        });
        return out;
    }
}
