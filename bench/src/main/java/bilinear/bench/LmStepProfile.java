package bilinear.bench;

import bilinear.engine.autograd.Parameter;
import bilinear.engine.autograd.Tape;
import bilinear.engine.autograd.Variable;
import bilinear.engine.lm.Hooks;
import bilinear.engine.lm.LmConfig;
import bilinear.engine.lm.Transformer;
import bilinear.engine.ops.SoftmaxCrossEntropy;
import bilinear.engine.optim.AdamW;
import bilinear.linalg.Backend;
import bilinear.linalg.Backends;
import bilinear.linalg.CounterRng;
import bilinear.linalg.Gate;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a language-model training step's time goes: runs the reference recipe's model (2 layers,
 * d_model 256, bilinear MLP 1024, 4 heads, context 256, vocab 4096, batch 16) on random tokens
 * through a {@link TimedBackend} and prints each kernel's share and GFLOP/s.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar bilinear.bench.LmStepProfile [--threads N] [--steps S]
 * </pre>
 */
public final class LmStepProfile {
    private LmStepProfile() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Runtime.getRuntime().availableProcessors(), steps = 20;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--steps" -> steps = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Backend raw = Backends.create(Backends.Kind.SIMD, threads).backend();
        TimedBackend be = new TimedBackend(raw);
        LmConfig c = new LmConfig(4096, 2, 256, 1024, 4, 256, Gate.NONE, true);
        Transformer model = Transformer.initialise(c, 0);
        List<Parameter> params = model.parameters();
        AdamW opt = new AdamW(new AdamW.Settings(0.9f, 0.95f, 1e-8f, 0.1f, 1f));
        Tape tape = new Tape(be);
        int batch = 16, n = batch * c.context();
        int[] ids = new int[n], targets = new int[n];
        for (int s = 0; s < 5; s++) {  // warm-up: C2 compiles every kernel
            step(be, model, params, opt, tape, ids, targets, batch, c, s);
        }
        be.reset();
        List<Long> nanos = new ArrayList<>();
        long total0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            long t0 = System.nanoTime();
            step(be, model, params, opt, tape, ids, targets, batch, c, s);
            nanos.add(System.nanoTime() - t0);
        }
        double totalMs = (System.nanoTime() - total0) / 1e6;
        StepProfile.report(String.format("%s; %s, batch %d; JDK %s", raw.describe(), c.describe(), batch,
                System.getProperty("java.version")), be, nanos, totalMs, 600, "run");
        System.exit(0);
    }

    private static void step(Backend be, Transformer model, List<Parameter> params, AdamW opt, Tape tape, int[] ids, int[] targets,
                             int batch, LmConfig c, int s) {
        for (int i = 0; i < ids.length; i++) {
            ids[i] = Integer.remainderUnsigned(CounterRng.hash(i + s * ids.length, 11), c.vocab());
            targets[i] = Integer.remainderUnsigned(CounterRng.hash(i + s * ids.length, 12), c.vocab());
        }
        tape.reset(true);
        Variable logits = model.forward(tape, ids, batch, c.context(), Transformer.Noise.NONE, Hooks.NONE);
        Variable loss = SoftmaxCrossEntropy.apply(tape, logits, targets);
        tape.backward(loss);
        opt.step(be, params, 1e-3f);
        be.sum(loss.value());
    }
}
