package bilinear.engine.train;

import bilinear.engine.BadInputException;
import bilinear.engine.autograd.Parameter;
import bilinear.engine.autograd.Tape;
import bilinear.engine.autograd.Variable;
import bilinear.engine.data.Batches;
import bilinear.engine.data.DataSplit;
import bilinear.engine.io.Checkpoint;
import bilinear.engine.model.BilinearClassifier;
import bilinear.engine.model.Noise;
import bilinear.engine.ops.SoftmaxCrossEntropy;
import bilinear.engine.optim.AdamW;
import bilinear.linalg.Backend;
import bilinear.linalg.CounterRng;
import bilinear.linalg.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains an image classifier: shuffled mini-batches, forward with noise, cross-entropy, backward,
 * AdamW with the schedule; evaluation on the test set and an atomic checkpoint after every epoch.
 *
 * <p>Reproducibility: initialisation, the order of each epoch and the noise of each update derive
 * from the seed and the epoch/update index alone, and every kernel sums in a fixed order, so the
 * same configuration gives the same weights bit for bit, for any thread count, and a resumed run
 * matches an uninterrupted one.
 */
public final class Trainer {
    private Trainer() {
    }

    /** The outcome of {@link #run}. */
    public record Result(BilinearClassifier model, List<EpochRecord> history, Path checkpoint, long steps) {
        public EpochRecord last() {
            return history.get(history.size() - 1);
        }
    }

    /**
     * Trains from scratch, or from {@code resume} (a checkpoint and its optimizer state) up to
     * {@code config.epochs()}. {@code out} may be null (nothing saved).
     */
    public static Result run(TrainConfig config, DataSplit data, Backend backend, Path out, Checkpoint.Loaded resume,
                             Path resumePath, TrainListener listener) {
        int n = data.train().size(), features = data.train().features();
        if (features != config.model().inputDim()) {
            throw new BadInputException("the model takes " + config.model().inputDim() + " inputs but " + data.name()
                    + " images have " + features + " pixels");
        }
        int batch = config.batchSize();
        int stepsPerEpoch = n / batch;
        if (stepsPerEpoch == 0) {
            throw new BadInputException("--batch " + batch + " is larger than the " + n + " training images");
        }
        long totalSteps = (long) stepsPerEpoch * config.epochs();

        BilinearClassifier model;
        AdamW optimizer = new AdamW(config.optimizer());
        List<EpochRecord> history = new ArrayList<>();
        int startEpoch = 0;
        if (resume != null) {
            model = resume.model();
            Checkpoint.loadOptimizer(resumePath, resume, optimizer);
            history.addAll(resume.history());
            startEpoch = resume.epochsDone();
            if (startEpoch >= config.epochs()) {
                throw new BadInputException("the checkpoint has already done " + startEpoch + " of " + config.epochs()
                        + " epochs; pass a larger --epochs to train further");
            }
        } else {
            model = BilinearClassifier.initialise(config.model(), config.seed());
        }
        List<Parameter> params = model.parameters();
        listener.started(config, startEpoch, stepsPerEpoch, model.parameterCount());

        Tape tape = new Tape(backend);
        Tape evalTape = new Tape(backend);
        Tensor x = Tensor.zeros(batch, features);
        int[] y = new int[batch];
        int[] predicted = new int[batch];
        for (int epoch = startEpoch; epoch < config.epochs(); epoch++) {
            int[] order = Batches.epochOrder(n, config.seed(), epoch);
            double lossSum = 0;
            long correct = 0;
            float lr = 0;
            long t0 = System.nanoTime();
            for (int s = 0; s < stepsPerEpoch; s++) {
                long step = optimizer.stepCount();
                Batches.gather(backend, data.train(), order, s * batch, batch, x, y);
                tape.reset(true);
                Noise noise = new Noise(config.inputNoise(), config.latentNoise(), CounterRng.split(config.seed() ^ 0x4E4F495345L, step));
                Variable logits = model.forward(tape, tape.constant(x), noise);
                Variable loss = SoftmaxCrossEntropy.apply(tape, logits, y);
                tape.backward(loss);
                lr = (float) (config.learningRate() * config.schedule().factor(step, totalSteps));
                optimizer.step(backend, params, lr);
                double l = backend.sum(loss.value());
                if (!Double.isFinite(l)) {
                    throw new TrainingDivergedException("the loss became " + l + " at epoch " + (epoch + 1) + ", step " + (s + 1)
                            + "; try a lower --lr or --clip 1 (the last checkpoint is untouched)");
                }
                lossSum += l;
                backend.argmaxRows(logits.value(), predicted);
                correct += matches(predicted, y);
                listener.stepDone(epoch, s, stepsPerEpoch, lossSum / (s + 1));
            }
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            Evaluation.Result test = Evaluation.evaluate(model, data.test(), evalTape, null);
            double evalSeconds = (System.nanoTime() - t1) / 1e9;
            EpochRecord rec = new EpochRecord(epoch + 1, lossSum / stepsPerEpoch, correct / (double) (stepsPerEpoch * batch),
                    test.loss(), test.accuracy(), lr, trainSeconds, evalSeconds, stepsPerEpoch * (double) batch / trainSeconds);
            history.add(rec);
            listener.epochDone(rec, config.epochs());
            if (out != null) {
                synchronized (Checkpoint.PAIR_LOCK) {
                    Checkpoint.saveResumable(out, model, config, history, epoch + 1, optimizer);
                    listener.saved(out);
                }
            }
        }
        return new Result(model, history, out, optimizer.stepCount());
    }

    /**
     * How many predictions equal their labels. A method of its own so that {@link #run}, the
     * driver, holds no loop that runs thousands of times an epoch: such a loop makes the JIT
     * compile {@code run} on the stack (OSR) with the whole step inlined: 340 ms of C2's one
     * thread in the first epochs, for code that is not hot.
     */
    private static int matches(int[] predicted, int[] labels) {
        int n = 0;
        for (int i = 0; i < predicted.length; i++) {
            n += predicted[i] == labels[i] ? 1 : 0;
        }
        return n;
    }

    /** The loss stopped being a finite number. */
    public static final class TrainingDivergedException extends BadInputException {
        public TrainingDivergedException(String message) {
            super(message);
        }
    }
}
