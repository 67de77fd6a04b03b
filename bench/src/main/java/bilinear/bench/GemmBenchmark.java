package bilinear.bench;

import bilinear.linalg.Backend;
import bilinear.linalg.BackendUnavailableException;
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
 * Single-precision GEMM at square sizes (including odd ones), at every shape one training step
 * of the Fashion-MNIST classifier runs (batch 2048, d = 256 and 512, 784 pixels, 10 classes) and
 * at the language model's largest products.
 * Shapes are "m×n×k:TT" with the transpose flags of A and B; the "gflop" counter is GFLOP/s.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar GemmBenchmark -p threads=1
 *   java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar GemmBenchmark -p shape=1024x1024x1024:NN
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GemmBenchmark {
    @Param({
        // squares, and odd sizes that leave edge tiles on every side
        "256x256x256:NN", "512x512x512:NN", "1024x1024x1024:NN", "1023x1025x1027:NN", "2048x2048x2048:NN",
        // d = 512: embed forward, block forward, block dX, block dW, embed dW
        "2048x512x784:NT", "2048x1024x512:NT", "2048x512x1024:NN", "1024x512x2048:TN", "512x784x2048:TN",
        // d = 256
        "2048x256x784:NT", "2048x512x256:NT", "2048x256x512:NN", "512x256x2048:TN", "256x784x2048:TN",
        // the head at d = 512: forward, dX, dW
        "2048x10x512:NT", "2048x512x10:NN", "10x512x2048:TN",
        // the language model (4096 tokens, d_model 256, vocab 4096): logits, their dX and dW, MLP up
        "4096x4096x256:NT", "4096x256x4096:NN", "4096x256x4096:TN", "4096x2048x256:NT",
    })
    public String shape;

    @Param({"simd"})
    public String backend;

    @Param({"1", "2"})
    public int threads;

    Backend be;
    GemmProduct product;
    double gflop;

    @Setup(Level.Trial)
    public void setUp() throws BackendUnavailableException {
        be = BenchEnv.backend(backend, threads);
        product = GemmProduct.parse(shape);
        gflop = product.flops() / 1e9;
    }

    @Benchmark
    public Tensor gemm(Flops f) {
        product.run(be);
        f.gflop += gflop;
        return product.c();
    }
}
