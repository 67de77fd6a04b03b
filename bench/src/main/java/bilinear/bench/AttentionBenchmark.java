package bilinear.bench;

import bilinear.linalg.Backend;
import bilinear.linalg.BackendUnavailableException;
import bilinear.linalg.Tensor;
import bilinear.linalg.Triangle;
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
 * The batched products of a causal attention layer of the reference language model (batch 16,
 * 4 heads: G = 64 matrices, T = 256 tokens, head size 64), with the causal structure exploited
 * ({@code causal}, as {@code CausalSelfAttention} runs them) or as dense products. The score is
 * calls per second; the "gflop" counter (GFLOP/s) counts only the multiply-adds that are not
 * skipped, so compare the two settings by calls per second (dense does twice the flops for the
 * same result).
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar AttentionBenchmark -p threads=1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AttentionBenchmark {
    /**
     * The three forms a layer runs twice each: {@code scores} S = Q·Kᵀ (and dP = dZ·Vᵀ),
     * {@code mix} Z = P·V (and dQ = dS·K), {@code mixT} dV = Pᵀ·dZ (and dK = dSᵀ·Q).
     */
    @Param({"scores", "mix", "mixT"})
    public String product;

    @Param({"true", "false"})
    public boolean causal;

    @Param({"simd"})
    public String backend;

    @Param({"1", "2"})
    public int threads;

    static final int G = 64, T = 256, DH = 64;

    Backend be;
    Tensor left, right, out;
    boolean transA, transB;
    Triangle shape;
    double gflop;

    @Setup(Level.Trial)
    public void setUp() throws BackendUnavailableException {
        be = BenchEnv.backend(backend, threads);
        Tensor probs = Tensor.zeros(G, T, T);
        be.causalSoftmax(BenchEnv.gaussian(1, G, T, T), 0.125f, probs);  // lower triangular, as in training
        // scores: [T, dh]·[T, dh]ᵀ → [T, T]; mix / mixT: P or Pᵀ times [T, dh] → [T, dh]
        boolean scores = product.equals("scores");
        if (!scores && !product.equals("mix") && !product.equals("mixT")) {
            throw new IllegalArgumentException("unknown product " + product);
        }
        left = scores ? BenchEnv.gaussian(2, G, T, DH) : probs;
        right = BenchEnv.gaussian(3, G, T, DH);
        out = scores ? Tensor.zeros(G, T, T) : Tensor.zeros(G, T, DH);
        transA = product.equals("mixT");
        transB = scores;
        Triangle structure = scores ? Triangle.LOWER_OUTPUT : transA ? Triangle.UPPER_LEFT : Triangle.LOWER_LEFT;
        shape = causal ? structure : Triangle.NONE;
        int m = out.dim(1), n = out.dim(2), k = transA ? left.dim(1) : left.dim(2);
        gflop = 2.0 * G * shape.multiplyAdds(m, n, k) / 1e9;
    }

    @Benchmark
    public Tensor attentionProduct(Flops f) {
        be.gemmBatched(shape, transA, transB, 1f, left, right, 0f, out);
        f.gflop += gflop;
        return out;
    }
}
