package bilinear.engine.lm;

import bilinear.engine.BadInputException;
import bilinear.engine.autograd.Parameter;
import bilinear.engine.autograd.Tape;
import bilinear.engine.autograd.Variable;
import bilinear.engine.ops.SoftmaxCrossEntropy;
import bilinear.engine.optim.AdamW;
import bilinear.engine.text.BpeTokenizer;
import bilinear.linalg.Backend;
import bilinear.linalg.CounterRng;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains a transformer language model on a token stream: each update takes {@code batch} windows
 * of {@code context + 1} tokens at uniformly random offsets (seeded by the step, so a resumed run
 * sees the same batches), predicts every next token, and takes one AdamW step with gradient
 * clipping and the schedule. Validation (nats per token and bits per byte) and an atomic
 * checkpoint every {@code evalEvery} steps and at the end.
 */
public final class LmTrainer {
    private LmTrainer() {
    }

    /** Steps between progress reports. */
    public static final int SPAN = 50;

    public record Result(Transformer model, LmRecords.History history, int steps) {
        public LmRecords.Validation lastValidation() {
            List<LmRecords.Validation> v = history.validations();
            return v.isEmpty() ? null : v.get(v.size() - 1);
        }
    }

    public static Result run(LmTrainConfig config, TokenData data, BpeTokenizer tokenizer, Backend backend, Path out,
                             LmCheckpoint.Loaded resume, Path resumePath, LmListener listener) {
        LmConfig mc = config.model();
        int ctx = mc.context(), batch = config.batch();
        if (data.train().length < ctx + 1) {
            throw new BadInputException(data.name() + ": " + data.train().length + " training tokens, fewer than one window of "
                    + (ctx + 1));
        }
        if (tokenizer.vocabSize() != mc.vocab()) {
            throw new BadInputException("the tokenizer has " + tokenizer.vocabSize() + " tokens, the model " + mc.vocab());
        }
        Transformer model;
        AdamW optimizer = new AdamW(config.optimizer());
        List<LmRecords.Span> spans = new ArrayList<>();
        List<LmRecords.Validation> validations = new ArrayList<>();
        List<Double> stepSeconds = new ArrayList<>();
        int start = 0;
        if (resume != null) {
            model = resume.model();
            LmCheckpoint.loadOptimizer(resumePath, resume, optimizer);
            if (resume.history() != null) {
                spans.addAll(resume.history().spans());
                validations.addAll(resume.history().validations());
            }
            start = resume.stepsDone();
            if (start >= config.steps()) {
                throw new BadInputException("the checkpoint has already done " + start + " of " + config.steps()
                        + " steps; pass a larger --steps to train further");
            }
        } else {
            model = Transformer.initialise(mc, config.seed());
        }
        List<Parameter> params = model.parameters();
        listener.started(config, start, model.parameterCount(), data.train().length);

        Tape tape = new Tape(backend);
        int[] inputs = new int[batch * ctx], targets = new int[batch * ctx];
        double spanLoss = 0;
        int spanStart = start;
        long spanNanos = 0;
        float lr = 0;
        for (int step = start; step < config.steps(); step++) {
            long t0 = System.nanoTime();
            sampleWindows(data.train(), ctx, batch, config.seed(), step, inputs, targets);
            tape.reset(true);
            Transformer.Noise noise = config.latentNoise() > 0
                    ? new Transformer.Noise(config.latentNoise(), CounterRng.split(config.seed() ^ 0x4C4D4EL, step))
                    : Transformer.Noise.NONE;
            Variable logits = model.forward(tape, inputs, batch, ctx, noise, Hooks.NONE);
            Variable loss = SoftmaxCrossEntropy.applyOverwritingLogits(tape, logits, targets);
            tape.backward(loss);
            lr = (float) (config.learningRate() * config.schedule().factor(step, config.steps()));
            optimizer.step(backend, params, lr);
            double l = backend.sum(loss.value());
            long dt = System.nanoTime() - t0;
            if (!Double.isFinite(l)) {
                throw new BadInputException("the loss became " + l + " at step " + (step + 1)
                        + "; try a lower --lr (the last checkpoint is untouched)");
            }
            stepSeconds.add(dt / 1e9);
            spanLoss += l;
            spanNanos += dt;
            boolean last = step + 1 == config.steps();
            if ((step + 1) % SPAN == 0 || last) {
                int n = step + 1 - spanStart;
                LmRecords.Span s = new LmRecords.Span(spanStart + 1, step + 1, spanLoss / n,
                        (double) n * batch * ctx / (spanNanos / 1e9), lr);
                spans.add(s);
                listener.span(s, config.steps());
                spanLoss = 0;
                spanNanos = 0;
                spanStart = step + 1;
            }
            boolean evalNow = last || (config.evalEvery() > 0 && (step + 1) % config.evalEvery() == 0);
            if (evalNow) {
                tape.reset(false);
                long te = System.nanoTime();
                double nats = LmEvaluation.validationLoss(model, data.validation(), batch, tape, Hooks.NONE);
                LmRecords.Validation v = new LmRecords.Validation(step + 1, nats, data.bitsPerByte(nats), (System.nanoTime() - te) / 1e9);
                validations.add(v);
                listener.validated(v);
                if (out != null) {
                    LmCheckpoint.save(out, model, tokenizer, config, history(spans, validations, stepSeconds), step + 1, optimizer);
                    listener.saved(out, step + 1);
                }
            }
        }
        return new Result(model, history(spans, validations, stepSeconds), config.steps());
    }

    private static LmRecords.History history(List<LmRecords.Span> spans, List<LmRecords.Validation> validations, List<Double> seconds) {
        double median = 0;
        if (!seconds.isEmpty()) {
            // the first steps include JIT warm-up; leave out up to 20 as the reference does
            List<Double> timed = seconds.size() > 20 ? seconds.subList(20, seconds.size()) : seconds;
            double[] s = timed.stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(s);
            median = s[s.length / 2];
        }
        return new LmRecords.History(new ArrayList<>(spans), new ArrayList<>(validations), median);
    }

    /**
     * Fills {@code batch} windows: offsets uniform in {@code [0, n − ctx − 1]} from a generator
     * seeded by (seed, step); inputs are tokens [o, o + ctx), targets [o + 1, o + ctx + 1).
     */
    static void sampleWindows(int[] tokens, int ctx, int batch, long seed, int step, int[] inputs, int[] targets) {
        SplittableRandom rnd = new SplittableRandom(CounterRng.split(seed ^ 0x57494E444F57L, step));
        int limit = tokens.length - ctx;  // exclusive upper bound of offsets
        for (int b = 0; b < batch; b++) {
            int o = rnd.nextInt(limit);
            System.arraycopy(tokens, o, inputs, b * ctx, ctx);
            System.arraycopy(tokens, o + 1, targets, b * ctx, ctx);
        }
    }
}
