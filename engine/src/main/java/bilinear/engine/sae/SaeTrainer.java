package bilinear.engine.sae;

import bilinear.engine.BadInputException;
import bilinear.engine.autograd.Parameter;
import bilinear.engine.autograd.Tape;
import bilinear.engine.autograd.Variable;
import bilinear.engine.data.Batches;
import bilinear.engine.lm.LmEvaluation;
import bilinear.engine.lm.Transformer;
import bilinear.engine.ops.MeanSquaredError;
import bilinear.engine.optim.AdamW;
import bilinear.engine.optim.Schedule;
import bilinear.linalg.Backend;
import bilinear.linalg.Tensor;

/**
 * Trains a top-k SAE on collected activations: shuffled mini-batches, mean squared reconstruction
 * error, AdamW (no weight decay), decoder columns renormalised after every update. Reports, on
 * held-out activations, the normalised MSE {@code Σ‖x − x̂‖² / Σ‖x − x̄‖²}, the latents never
 * active (dead), and the language-model loss added when the reconstruction replaces the
 * activation in the forward pass.
 */
public final class SaeTrainer {
    private SaeTrainer() {
    }

    public record Settings(int epochs, int batch, float learningRate, long seed) {
        public Settings {
            if (epochs < 1 || batch < 1 || !(learningRate > 0)) {
                throw new BadInputException("SAE training needs epochs ≥ 1, batch ≥ 1 and a positive learning rate");
            }
        }
    }

    public record Metrics(double nmse, int deadLatents, int latents, double meanActiveLatents, double lossClean,
                          double lossSpliced) {
        public double lossAdded() {
            return lossSpliced - lossClean;
        }
    }

    public interface Listener {
        default void epochDone(int epoch, int epochs, double meanLoss, double seconds) {
        }

        Listener SILENT = new Listener() { };
    }

    public static TopKSae train(TopKSae.Config config, Tensor train, Settings s, Backend backend, Listener listener) {
        TopKSae sae = TopKSae.initialise(config, TopKSae.rowMean(backend, train), s.seed());
        AdamW optimizer = new AdamW(new AdamW.Settings(0.9f, 0.999f, 1e-8f, 0f, 0f));
        int n = train.rows(), d = train.cols(), b = Math.min(s.batch(), n);
        int steps = n / b;
        long total = (long) steps * s.epochs();
        Schedule schedule = Schedule.of("linear", Math.min(100, total / 10), 1, 1);
        Tape tape = new Tape(backend);
        Tensor x = Tensor.zeros(b, d);
        java.util.List<Parameter> params = sae.parameters();
        for (int epoch = 0; epoch < s.epochs(); epoch++) {
            long t0 = System.nanoTime();
            int[] order = Batches.permutation(n, bilinear.linalg.CounterRng.split(s.seed() ^ 0x534145L, epoch));
            double sum = 0;
            for (int step = 0; step < steps; step++) {
                for (int i = 0; i < b; i++) {
                    System.arraycopy(train.data(), order[step * b + i] * d, x.data(), i * d, d);
                }
                tape.reset(true);
                Variable input = tape.constant(x);
                Variable loss = MeanSquaredError.apply(tape, sae.reconstruct(tape, input), input);
                tape.backward(loss);
                float lr = (float) (s.learningRate() * schedule.factor(optimizer.stepCount(), total));
                optimizer.step(backend, params, lr);
                sae.normaliseDecoder();
                sum += backend.sum(loss.value());
            }
            listener.epochDone(epoch + 1, s.epochs(), sum / steps, (System.nanoTime() - t0) / 1e9);
        }
        return sae;
    }

    /** NMSE, dead latents and mean active latents on held-out activations. */
    public static Metrics reconstructionMetrics(TopKSae sae, Tensor heldOut, Backend backend) {
        int n = heldOut.rows(), d = heldOut.cols(), m = sae.config().latents();
        Tensor mean = TopKSae.rowMean(backend, heldOut);
        double err = 0, var = 0, active = 0;
        boolean[] alive = new boolean[m];
        Tape tape = new Tape(backend);
        int chunk = 2048;
        for (int from = 0; from < n; from += chunk) {
            int rows = Math.min(chunk, n - from);
            Tensor x = Tensor.zeros(rows, d);
            System.arraycopy(heldOut.data(), from * d, x.data(), 0, rows * d);
            tape.reset(false);
            Variable z = sae.encode(tape, tape.constant(x));
            Variable xh = sae.decode(tape, z);
            Tensor diff = tape.buffer(rows, d);
            backend.axpby(1f, xh.value(), 0f, diff);
            backend.axpby(-1f, x, 1f, diff);
            err += backend.sumSquares(diff);
            Tensor centred = tape.buffer(rows, d);
            backend.axpby(1f, x, 0f, centred);
            Tensor negMean = Tensor.zeros(d);
            backend.axpby(-1f, mean, 0f, negMean);
            backend.addRowVector(centred, negMean);
            var += backend.sumSquares(centred);
            float[] zd = z.value().data();
            for (int i = 0; i < rows * m; i++) {
                if (zd[i] != 0) {
                    alive[i % m] = true;
                    active++;
                }
            }
        }
        int dead = 0;
        for (boolean a : alive) {
            dead += a ? 0 : 1;
        }
        return new Metrics(err / var, dead, m, active / n, Double.NaN, Double.NaN);
    }

    /** The language-model validation loss with and without the SAE spliced in at its site. */
    public static Metrics withLossAdded(Metrics m, TopKSae sae, Transformer model, int[] validation, int batch, Backend backend) {
        double clean = LmEvaluation.validationLoss(model, validation, batch, backend, bilinear.engine.lm.Hooks.NONE);
        double spliced = LmEvaluation.validationLoss(model, validation, batch, backend, Activations.splice(sae));
        return new Metrics(m.nmse(), m.deadLatents(), m.latents(), m.meanActiveLatents(), clean, spliced);
    }
}
