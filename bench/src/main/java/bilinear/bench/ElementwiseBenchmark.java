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
 * The non-product kernels of a training step at their training sizes (batch 2048, d = 512):
 * input noise on the pixels, the gated product and its backward, softmax cross-entropy with its
 * gradient, and an AdamW update of the block weight. The "gelem" counter is billions of elements
 * per second (elements of the largest tensor the kernel reads).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ElementwiseBenchmark {
    @Param({"simd"})
    public String backend;

    @Param({"1", "2"})
    public int threads;

    static final int B = 2048, D = 784, H = 512, C = 10;

    Backend be;
    Tensor pixels, noisy, z, g, out, dz, logits, dLogits, param, grad, m, v;
    int[] labels = new int[B];
    long seed;

    @Setup(Level.Trial)
    public void setUp() throws BackendUnavailableException {
        be = BenchEnv.backend(backend, threads);
        pixels = BenchEnv.uniform(1, B, D);
        noisy = Tensor.zeros(B, D);
        z = BenchEnv.gaussian(2, B, 2 * H);
        g = BenchEnv.gaussian(3, B, H);
        out = Tensor.zeros(B, H);
        dz = Tensor.zeros(B, 2 * H);
        logits = BenchEnv.gaussian(4, B, C);
        dLogits = Tensor.zeros(B, C);
        param = BenchEnv.gaussian(5, 2 * H, H);
        grad = BenchEnv.gaussian(6, 2 * H, H);
        m = Tensor.zeros(2 * H, H);
        v = Tensor.zeros(2 * H, H);
        for (int i = 0; i < B; i++) {
            labels[i] = i % C;
        }
    }

    @Benchmark
    public Tensor gaussianNoise(Elements f) {
        be.addGaussianNoise(pixels, 0.5f, seed++, noisy);
        f.gelem += B * D / 1e9;
        return noisy;
    }

    @Benchmark
    public Tensor glu(Elements f) {
        be.glu(Gate.NONE, z, out);
        f.gelem += B * 2.0 * H / 1e9;
        return out;
    }

    @Benchmark
    public Tensor gluBackward(Elements f) {
        be.gluBackward(Gate.NONE, z, g, 0f, dz);
        f.gelem += B * 2.0 * H / 1e9;
        return dz;
    }

    @Benchmark
    public double softmaxCrossEntropy(Elements f) {
        f.gelem += B * (double) C / 1e9;
        return be.softmaxCrossEntropy(logits, labels, 1f / B, dLogits);
    }

    @Benchmark
    public Tensor adamw(Elements f) {
        be.adamw(param, grad, 1f, m, v, new Backend.AdamWStep(1e-3f, 0.9f, 0.999f, 1e-8f, 1e-4f, 0.1f, 0.001f));
        f.gelem += 2.0 * H * H / 1e9;
        return param;
    }
}
