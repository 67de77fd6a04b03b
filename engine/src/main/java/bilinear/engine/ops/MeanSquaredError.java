package bilinear.engine.ops;

import bilinear.engine.autograd.Op;
import bilinear.engine.autograd.Tape;
import bilinear.engine.autograd.Variable;
import bilinear.linalg.Backend;
import bilinear.linalg.Tensor;

/**
 * Mean squared error over all elements: {@code L = (1/n) Σ (ŷ − y)²}, output {@code [1]}.
 *
 * <pre>
 *   ∂L/∂ŷ = (2/n)·(ŷ − y),   ∂L/∂y = −(2/n)·(ŷ − y)
 * </pre>
 * Gradients (times the upstream gradient of L) are written with the tape's beta.
 */
public final class MeanSquaredError implements Op {
    private final Variable prediction;
    private final Variable target;
    private final Tensor diff;
    private final Variable loss;

    private MeanSquaredError(Variable prediction, Variable target, Tensor diff, Variable loss) {
        this.prediction = prediction;
        this.target = target;
        this.diff = diff;
        this.loss = loss;
    }

    public static Variable apply(Tape tape, Variable prediction, Variable target) {
        Backend be = tape.backend();
        Tensor p = prediction.value(), t = target.value();
        if (p.size() != t.size()) {
            throw new IllegalArgumentException("MeanSquaredError: " + p.shape() + " vs " + t.shape());
        }
        Tensor diff = tape.buffer(p.shape());
        be.axpby(1f, p, 0f, diff);
        be.axpby(-1f, t, 1f, diff);
        Tensor out = tape.buffer(1);
        be.fill(out, (float) (be.sumSquares(diff) / p.size()));
        Variable l = tape.result(out, prediction, target);
        tape.record(new MeanSquaredError(prediction, target, diff, l));
        return l;
    }

    @Override
    public void backward(Tape tape) {
        Backend be = tape.backend();
        float scale = (float) (2 * be.sum(tape.grad(loss)) / diff.size());
        if (prediction.requiresGrad()) {
            float beta = tape.gradBeta(prediction);
            be.axpby(scale, diff, beta, tape.grad(prediction));
        }
        if (target.requiresGrad()) {
            float beta = tape.gradBeta(target);
            be.axpby(-scale, diff, beta, tape.grad(target));
        }
    }

    @Override
    public Variable output() {
        return loss;
    }
}
