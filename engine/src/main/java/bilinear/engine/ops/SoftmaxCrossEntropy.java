package bilinear.engine.ops;

import bilinear.engine.autograd.Op;
import bilinear.engine.autograd.Tape;
import bilinear.engine.autograd.Variable;
import bilinear.linalg.Backend;
import bilinear.linalg.Tensor;

/**
 * Mean softmax cross-entropy of {@code logits [B, C]} against integer labels:
 * {@code L = (1/B) Σ_b (log Σ_j exp(z_bj) − z_b,y_b)}, output shape {@code [1]}.
 *
 * <pre>
 *   ∂L/∂z_bj = (softmax(z_b)_j − [j = y_b]) / B     (times the upstream gradient of L)
 * </pre>
 * The logits gradient is written with the tape's beta (through a scratch buffer when it has to
 * accumulate).
 */
public final class SoftmaxCrossEntropy implements Op {
    private final Variable logits;
    private final int[] labels;
    private final Variable loss;

    private SoftmaxCrossEntropy(Variable logits, int[] labels, Variable loss) {
        this.logits = logits;
        this.labels = labels;
        this.loss = loss;
    }

    /** {@code labels} must hold at least B entries, each in {@code [0, C)}. */
    public static Variable apply(Tape tape, Variable logits, int[] labels) {
        Backend be = tape.backend();
        Tensor z = logits.value();
        double total = be.softmaxCrossEntropy(z, labels, 0f, null);
        Tensor out = tape.buffer(1);
        be.fill(out, (float) (total / z.rows()));
        Variable l = tape.result(out, logits);
        tape.record(new SoftmaxCrossEntropy(logits, labels, l));
        return l;
    }

    @Override
    public void backward(Tape tape) {
        if (!logits.requiresGrad()) {
            return;
        }
        Backend be = tape.backend();
        Tensor z = logits.value();
        float upstream = (float) be.sum(tape.grad(loss));
        float scale = upstream / z.rows();
        float beta = tape.gradBeta(logits);
        if (beta == 0) {
            be.softmaxCrossEntropy(z, labels, scale, tape.grad(logits));
        } else {
            Tensor tmp = tape.buffer(z.shape());
            be.softmaxCrossEntropy(z, labels, scale, tmp);
            be.axpby(1f, tmp, 1f, tape.grad(logits));
        }
    }

    @Override
    public Variable output() {
        return loss;
    }
}
