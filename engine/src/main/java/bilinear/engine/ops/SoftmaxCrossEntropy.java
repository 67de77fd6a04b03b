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
 * When the tape records, the forward pass computes the gradient for a unit upstream gradient in
 * the same sweep as the loss (one exponential per logit; over a 4096-token vocabulary that sweep
 * is a visible part of a language-model step) and backward scales it into the logits' gradient
 * with the tape's beta.
 */
public final class SoftmaxCrossEntropy implements Op {
    private final Variable logits;
    private final Variable loss;
    /** ∂L/∂logits for an upstream gradient of 1: (softmax − onehot)/B. */
    private final Tensor unitGradient;

    private SoftmaxCrossEntropy(Variable logits, Variable loss, Tensor unitGradient) {
        this.logits = logits;
        this.loss = loss;
        this.unitGradient = unitGradient;
    }

    /** {@code labels} must hold at least B entries, each in {@code [0, C)}. */
    public static Variable apply(Tape tape, Variable logits, int[] labels) {
        return apply(tape, logits, labels, false);
    }

    /**
     * {@link #apply}, with the gradient written over the logits' own buffer when the tape records:
     * for a caller that reads the logits no more, which saves one {@code [B, C]} buffer (the
     * language model's 4096 × 4096 floats, 67 MB). The op that produced the logits must not need
     * its output in backward (a linear map does not).
     */
    public static Variable applyOverwritingLogits(Tape tape, Variable logits, int[] labels) {
        return apply(tape, logits, labels, true);
    }

    private static Variable apply(Tape tape, Variable logits, int[] labels, boolean overwrite) {
        Backend be = tape.backend();
        Tensor z = logits.value();
        Tensor out = tape.buffer(1);
        Variable l = tape.result(out, logits);
        Tensor gradient = !l.requiresGrad() ? null : overwrite ? z : tape.buffer(z.shape());
        double total = be.softmaxCrossEntropy(z, labels, 1f / z.rows(), gradient);
        be.fill(out, (float) (total / z.rows()));
        tape.record(new SoftmaxCrossEntropy(logits, l, gradient));
        return l;
    }

    @Override
    public void backward(Tape tape) {
        if (!logits.requiresGrad()) {
            return;
        }
        Backend be = tape.backend();
        float upstream = (float) be.sum(tape.grad(loss));
        if (tape.adoptGrad(logits, unitGradient)) {
            // The usual case (the logits feed only this loss): the unit gradient becomes the
            // logits' gradient, scaled in place; no copy of the [B, C] buffer (4096 × 4096 for
            // the language model).
            if (upstream != 1f) {
                be.axpby(upstream, unitGradient, 0f, unitGradient);
            }
            return;
        }
        float beta = tape.gradBeta(logits);
        be.axpby(upstream, unitGradient, beta, tape.grad(logits));
    }

    @Override
    public Variable output() {
        return loss;
    }
}
