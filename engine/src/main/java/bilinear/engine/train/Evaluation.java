package bilinear.engine.train;

import bilinear.engine.autograd.Tape;
import bilinear.engine.autograd.Variable;
import bilinear.engine.data.ImageDataset;
import bilinear.engine.model.BilinearClassifier;
import bilinear.engine.model.Noise;
import bilinear.linalg.Backend;
import bilinear.linalg.Tensor;
import java.util.Arrays;

/** Loss and accuracy of a model on a dataset, in batches, without noise and without recording. */
public final class Evaluation {
    private Evaluation() {
    }

    public record Result(double loss, double accuracy, int samples, int correct) {
    }

    public static final int BATCH = 2000;

    public static Result evaluate(BilinearClassifier model, ImageDataset data, Backend backend) {
        return evaluate(model, data, new Tape(backend), null);
    }

    /**
     * Evaluates with the given tape (its buffers are reused); when {@code predictions} is not null
     * it receives the predicted class of every sample.
     */
    public static Result evaluate(BilinearClassifier model, ImageDataset data, Tape tape, int[] predictions) {
        Backend be = tape.backend();
        int n = data.size(), d = data.features();
        double lossSum = 0;
        int correct = 0;
        int[] labels = new int[BATCH];
        int[] predicted = new int[BATCH];
        int[] inOrder = new int[n];
        Arrays.setAll(inOrder, i -> i);
        for (int from = 0; from < n; from += BATCH) {
            int count = Math.min(BATCH, n - from);
            tape.reset(false);
            Tensor x = tape.buffer(count, d);
            be.unpackGreyLevels(data.levels(), inOrder, from, x);
            System.arraycopy(data.labels(), from, labels, 0, count);
            Variable logits = model.forward(tape, tape.constant(x), Noise.NONE);
            lossSum += be.softmaxCrossEntropy(logits.value(), labels, 0f, null);
            be.argmaxRows(logits.value(), predicted);
            for (int i = 0; i < count; i++) {
                if (predicted[i] == labels[i]) {
                    correct++;
                }
            }
            if (predictions != null) {
                System.arraycopy(predicted, 0, predictions, from, count);
            }
        }
        tape.reset(false);
        return new Result(lossSum / n, correct / (double) n, n, correct);
    }
}
