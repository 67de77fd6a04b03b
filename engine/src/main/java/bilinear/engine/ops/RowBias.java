package bilinear.engine.ops;

import bilinear.engine.autograd.Op;
import bilinear.engine.autograd.Tape;
import bilinear.engine.autograd.Variable;
import bilinear.linalg.Backend;
import bilinear.linalg.Tensor;

/**
 * Adds a row vector to every row: {@code y[i, :] = x[i, :] + α·b}. Shapes: {@code x [N, D]},
 * {@code b [D]}, {@code y [N, D]}. (α = −1 subtracts, as an SAE's {@code x − b_dec}.)
 *
 * <pre>
 *   ∂L/∂x = ∂L/∂y,   ∂L/∂b = α·Σ_i ∂L/∂y[i, :]
 * </pre>
 * Both gradients are written with the tape's beta.
 */
public final class RowBias implements Op {
    private final Variable x;
    private final Variable b;
    private final float alpha;
    private final Variable y;

    private RowBias(Variable x, Variable b, float alpha, Variable y) {
        this.x = x;
        this.b = b;
        this.alpha = alpha;
        this.y = y;
    }

    public static Variable apply(Tape tape, Variable x, Variable b, float alpha) {
        Backend be = tape.backend();
        if (b.value().size() != x.value().cols()) {
            throw new IllegalArgumentException("RowBias: vector " + b.value().shape() + " does not fit rows of " + x.value().shape());
        }
        Tensor out = tape.buffer(x.value().shape());
        be.axpby(1f, x.value(), 0f, out);
        Tensor scaled = b.value();
        if (alpha != 1f) {
            scaled = tape.buffer(b.value().shape());
            be.axpby(alpha, b.value(), 0f, scaled);
        }
        be.addRowVector(out, scaled);
        Variable yv = tape.result(out, x, b);
        tape.record(new RowBias(x, b, alpha, yv));
        return yv;
    }

    @Override
    public void backward(Tape tape) {
        Backend be = tape.backend();
        Tensor dy = tape.grad(y);
        if (x.requiresGrad()) {
            float beta = tape.gradBeta(x);
            be.axpby(1f, dy, beta, tape.grad(x));
        }
        if (b.requiresGrad()) {
            float beta = tape.gradBeta(b);
            if (alpha == 1f) {
                be.sumRows(dy, beta, tape.grad(b));
            } else {
                Tensor s = tape.buffer(b.value().shape());
                be.sumRows(dy, 0f, s);
                be.axpby(alpha, s, beta, tape.grad(b));
            }
        }
    }

    @Override
    public Variable output() {
        return y;
    }
}
