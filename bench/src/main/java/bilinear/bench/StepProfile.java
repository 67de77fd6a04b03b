package bilinear.bench;

import bilinear.engine.autograd.Parameter;
import bilinear.engine.autograd.Tape;
import bilinear.engine.autograd.Variable;
import bilinear.engine.data.Batches;
import bilinear.engine.data.DataSplit;
import bilinear.engine.data.Datasets;
import bilinear.engine.model.BilinearClassifier;
import bilinear.engine.model.ImageModelConfig;
import bilinear.engine.model.Noise;
import bilinear.engine.ops.SoftmaxCrossEntropy;
import bilinear.engine.optim.AdamW;
import bilinear.linalg.Backend;
import bilinear.linalg.Backends;
import bilinear.linalg.CounterRng;
import bilinear.linalg.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the time of one Fashion-MNIST training step goes: runs the trainer's step (gather, input
 * noise, forward, cross-entropy, backward, AdamW) through a {@link TimedBackend} and prints, per
 * kernel, milliseconds per step, share of the step and GFLOP/s for products.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar bilinear.bench.StepProfile \
 *        [--hidden 512] [--threads 1] [--steps 29] [--backend simd] [--noise 0.5]
 * </pre>
 * The timing calls themselves cost well under a microsecond per kernel.
 */
public final class StepProfile {
    private StepProfile() {
    }

    public static void main(String[] args) throws Exception {
        int hidden = 512, threads = 1, steps = 29, batch = 2048;
        float noise = 0.5f;
        String backendName = "simd";
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--hidden" -> hidden = Integer.parseInt(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--steps" -> steps = Integer.parseInt(args[i + 1]);
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--noise" -> noise = Float.parseFloat(args[i + 1]);
                case "--backend" -> backendName = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Backend raw = Backends.create(Backends.Kind.parse(backendName), threads).backend();
        TimedBackend be = new TimedBackend(raw);
        DataSplit data = Datasets.load("fashion-mnist", null);
        BilinearClassifier model = BilinearClassifier.initialise(ImageModelConfig.bilinear(hidden), 42);
        List<Parameter> params = model.parameters();
        AdamW opt = new AdamW(AdamW.Settings.of(1f));
        Tape tape = new Tape(be);
        int d = data.train().features();
        Tensor x = Tensor.zeros(batch, d);
        int[] y = new int[batch];
        int[] order = Batches.epochOrder(data.train().size(), 42, 0);
        int perEpoch = data.train().size() / batch;

        // Warm-up: one epoch's worth of steps, so C2 has compiled every kernel.
        for (int s = 0; s < perEpoch; s++) {
            step(be, model, params, opt, tape, data, order, s % perEpoch, batch, x, y, noise);
        }
        be.reset();
        List<Long> stepNanos = new ArrayList<>();
        long total0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            long t0 = System.nanoTime();
            step(be, model, params, opt, tape, data, order, s % perEpoch, batch, x, y, noise);
            stepNanos.add(System.nanoTime() - t0);
        }
        double totalMs = (System.nanoTime() - total0) / 1e6;
        String title = String.format("%s; d=%d, batch %d, noise %.2f, %d steps; JDK %s", raw.describe(), hidden, batch, noise, steps,
                System.getProperty("java.version"));
        report(title, be, stepNanos, totalMs, perEpoch, "epoch");
        System.exit(0);
    }

    /** Prints a profile: step times, then each kernel's calls, milliseconds per step, share and GFLOP/s. */
    static void report(String title, TimedBackend be, List<Long> stepNanos, double totalMs, int perEpoch, String unit) {
        int steps = stepNanos.size();
        double perStep = totalMs / steps;
        stepNanos.sort(Long::compare);
        System.out.println(title);
        System.out.printf("step: mean %.2f ms, median %.2f ms (min %.2f, max %.2f); %.3f s per %d-step " + unit + "%n", perStep,
                stepNanos.get(steps / 2) / 1e6, stepNanos.get(0) / 1e6, stepNanos.get(steps - 1) / 1e6,
                perStep * perEpoch / 1e3, perEpoch);
        System.out.printf("%-34s %8s %8s %7s %9s%n", "kernel", "calls", "ms/step", "share", "GFLOP/s");
        double accounted = 0, flops = 0, gemmMs = 0;
        List<Map.Entry<String, TimedBackend.Entry>> rows = new ArrayList<>(be.entries().entrySet());
        rows.sort((a, b) -> Long.compare(b.getValue().nanos, a.getValue().nanos));
        for (Map.Entry<String, TimedBackend.Entry> r : rows) {
            TimedBackend.Entry e = r.getValue();
            double ms = e.nanos / 1e6 / steps;
            accounted += ms;
            if (e.flops > 0) {
                flops += e.flops;
                gemmMs += ms;
            }
            System.out.printf("%-34s %8d %8.3f %6.1f%% %9s%n", r.getKey(), e.calls / steps, ms, 100 * ms / perStep,
                    e.flops > 0 ? String.format("%.1f", e.flops / (e.nanos / 1e9) / 1e9) : "");
        }
        System.out.printf("%-34s %8s %8.3f %6.1f%%%n", "outside kernels (gather, tape, ...)", "", perStep - accounted,
                100 * (perStep - accounted) / perStep);
        System.out.printf("all products: %.1f GFLOP per step at %.1f GFLOP/s; whole step %.1f GFLOP/s%n",
                flops / steps / 1e9, flops / steps / 1e9 / (gemmMs / 1e3), flops / steps / 1e9 / (perStep / 1e3));
    }

    private static void step(Backend be, BilinearClassifier model, List<Parameter> params, AdamW opt, Tape tape,
                             DataSplit data, int[] order, int s, int batch, Tensor x, int[] y, float noise) {
        Batches.gather(be, data.train(), order, s * batch, batch, x, y);
        tape.reset(true);
        Noise n = new Noise(noise, 0f, CounterRng.split(42, opt.stepCount()));
        Variable logits = model.forward(tape, tape.constant(x), n);
        Variable loss = SoftmaxCrossEntropy.apply(tape, logits, y);
        tape.backward(loss);
        opt.step(be, params, 1e-3f);
        be.sum(loss.value());
        be.argmaxRows(logits.value(), new int[batch]);
    }
}
