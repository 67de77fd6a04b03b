package bilinear.bench;

import bilinear.linalg.Backend;
import bilinear.linalg.BackendUnavailableException;
import bilinear.linalg.Backends;
import bilinear.linalg.CounterRng;
import bilinear.linalg.Tensor;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-precision GEMM at square sizes (including odd ones) and at the shapes one training step
 * of the d = 512 Fashion-MNIST model runs (batch 2048). Shapes are "m×n×k:TT" with the transpose
 * flags of A and B. GFLOP/s = 2·m·n·k / time.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar GemmBenchmark -p threads=1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GemmBenchmark {
    @Param({"1024x1024x1024:NN", "1023x1025x1027:NN", "2048x512x784:NT", "2048x1024x512:NT", "2048x512x1024:NN",
            "1024x512x2048:TN", "512x784x2048:TN", "2048x784x512:NN"})
    public String shape;

    @Param({"simd"})
    public String backend;

    @Param({"1", "2"})
    public int threads;

    Backend be;
    Tensor a, b, c;
    boolean transA, transB;

    @Setup(Level.Trial)
    public void setUp() throws BackendUnavailableException {
        be = Backends.create(Backends.Kind.parse(backend), threads).backend();
        String[] parts = shape.split(":");
        String[] dims = parts[0].split("x");
        int m = Integer.parseInt(dims[0]), n = Integer.parseInt(dims[1]), k = Integer.parseInt(dims[2]);
        transA = parts[1].charAt(0) == 'T';
        transB = parts[1].charAt(1) == 'T';
        a = random(1, transA ? new int[] {k, m} : new int[] {m, k});
        b = random(2, transB ? new int[] {n, k} : new int[] {k, n});
        c = Tensor.zeros(m, n);
        System.out.printf("%n# %s on %s, JDK %s, CPU %s%n", shape, be.describe(), System.getProperty("java.version"),
                System.getProperty("os.arch"));
    }

    static Tensor random(long seed, int[] dims) {
        Tensor t = Tensor.zeros(dims);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = CounterRng.gaussian(seed, i);
        }
        return t;
    }

    @Benchmark
    public Tensor gemm() {
        be.gemm(transA, transB, 1f, a, b, 0f, c);
        return c;
    }
}
