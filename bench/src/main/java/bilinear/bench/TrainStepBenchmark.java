package bilinear.bench;

import bilinear.engine.autograd.Parameter;
import bilinear.engine.autograd.Tape;
import bilinear.engine.autograd.Variable;
import bilinear.engine.model.BilinearClassifier;
import bilinear.engine.model.ImageModelConfig;
import bilinear.engine.model.Noise;
import bilinear.engine.ops.SoftmaxCrossEntropy;
import bilinear.engine.optim.AdamW;
import bilinear.linalg.Backend;
import bilinear.linalg.BackendUnavailableException;
import bilinear.linalg.CounterRng;
import bilinear.linalg.Tensor;
import java.util.List;
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
 * One whole training step of the Fashion-MNIST classifier (784 → d → 10, one bilinear block,
 * batch 2048, input noise 0.5, AdamW) on synthetic pixels: noise, forward, cross-entropy,
 * backward and the update, exactly as the trainer runs it. Scores are steps per second; the
 * "gflop" counter counts the step's products (2·B·(2·784·d + 3·2d·d + 3·10·d) flops), so it is
 * the whole step's rate, non-product kernels included. An epoch is 29 steps.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TrainStepBenchmark {
    @Param({"256", "512"})
    public int d;

    @Param({"simd"})
    public String backend;

    @Param({"1", "2"})
    public int threads;

    static final int B = 2048, D = 784;

    Backend be;
    BilinearClassifier model;
    List<Parameter> params;
    AdamW optimizer;
    Tape tape;
    Tensor x;
    int[] y = new int[B];
    double gflop;

    @Setup(Level.Trial)
    public void setUp() throws BackendUnavailableException {
        be = BenchEnv.backend(backend, threads);
        model = BilinearClassifier.initialise(ImageModelConfig.bilinear(d), 42);
        params = model.parameters();
        optimizer = new AdamW(AdamW.Settings.of(1f));
        tape = new Tape(be);
        x = BenchEnv.uniform(7, B, D);
        for (int i = 0; i < B; i++) {
            y[i] = i % 10;
        }
        gflop = 2.0 * B * (2.0 * D * d + 3.0 * 2 * d * d + 3.0 * 10 * d) / 1e9;
    }

    @Benchmark
    public double step(Flops f) {
        tape.reset(true);
        Noise noise = new Noise(0.5f, 0f, CounterRng.split(42, optimizer.stepCount()));
        Variable logits = model.forward(tape, tape.constant(x), noise);
        Variable loss = SoftmaxCrossEntropy.apply(tape, logits, y);
        tape.backward(loss);
        optimizer.step(be, params, 1e-3f);
        f.gflop += gflop;
        return be.sum(loss.value());
    }
}
