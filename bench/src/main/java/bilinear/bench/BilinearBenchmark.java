package bilinear.bench;

import bilinear.linalg.Backend;
import bilinear.linalg.BackendUnavailableException;
import bilinear.linalg.Gate;
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
 * The bilinear layer {@code out = (h·Wᵀ) ⊙ (h·Vᵀ)} with the fused weight {@code [W; V] [2d, d]},
 * forward and backward, as the engine's ops run it:
 *
 * <pre>
 *   forward:  z = h·[W;V]ᵀ  (gemm NT, [B, 2d])      out = z_left ⊙ z_right  (glu)
 *   backward: dz = (dOut ⊙ z_right | dOut ⊙ z_left)  (gluBackward)
 *             d[W;V] = dzᵀ·h  (gemm TN)              dh = dz·[W;V]  (gemm NN)
 * </pre>
 * The "gflop" counter is GFLOP/s of the products (2·B·2d·d per product).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BilinearBenchmark {
    @Param({"256", "512"})
    public int d;

    @Param({"2048"})
    public int batch;

    @Param({"simd"})
    public String backend;

    @Param({"1", "2"})
    public int threads;

    Backend be;
    Tensor h, w, z, out, dOut, dz, dw, dh;
    double productGflop;

    @Setup(Level.Trial)
    public void setUp() throws BackendUnavailableException {
        be = BenchEnv.backend(backend, threads);
        h = BenchEnv.gaussian(1, batch, d);
        w = BenchEnv.gaussian(2, 2 * d, d);
        dOut = BenchEnv.gaussian(3, batch, d);
        z = Tensor.zeros(batch, 2 * d);
        out = Tensor.zeros(batch, d);
        dz = Tensor.zeros(batch, 2 * d);
        dw = Tensor.zeros(2 * d, d);
        dh = Tensor.zeros(batch, d);
        productGflop = 2.0 * batch * 2 * d * d / 1e9;
    }

    @Benchmark
    public Tensor forward(Flops f) {
        be.gemm(false, true, 1f, h, w, 0f, z);
        be.glu(Gate.NONE, z, out);
        f.gflop += productGflop;
        return out;
    }

    @Benchmark
    public Tensor backward(Flops f) {
        be.gluBackward(Gate.NONE, z, dOut, 0f, dz);
        be.gemm(true, false, 1f, dz, h, 0f, dw);
        be.gemm(false, false, 1f, dz, w, 0f, dh);
        f.gflop += 2 * productGflop;
        return dh;
    }
}
