package bilinear.engine.ops;

import bilinear.engine.autograd.Op;
import bilinear.engine.autograd.Tape;
import bilinear.engine.autograd.Variable;
import bilinear.linalg.Tensor;

/**
 * Elementwise sum, used for residual connections: {@code y = a + α·b}, all of one shape (α = 1
 * for a plain residual; the transformer scales its attention branch by 1/√(2·n_layer)).
 *
 * <pre>
 *   ∂L/∂a = ∂L/∂y,   ∂L/∂b = α·∂L/∂y
 * </pre>
 * Each input's gradient is written with the tape's beta.
 */
public final class Add implements Op {
    private final Variable a;
    private final Variable b;
    private final float alpha;
    private final Variable y;

    private Add(Variable a, Variable b, float alpha, Variable y) {
        this.a = a;
        this.b = b;
        this.alpha = alpha;
        this.y = y;
    }

    public static Variable apply(Tape tape, Variable a, Variable b) {
        return apply(tape, a, b, 1f);
    }

    public static Variable apply(Tape tape, Variable a, Variable b, float alpha) {
        if (!a.value().shape().equals(b.value().shape())) {
            throw new IllegalArgumentException("Add: shapes differ, " + a.value().shape() + " vs " + b.value().shape());
        }
        Tensor out = tape.buffer(a.value().shape());
        if (alpha == 1f) {
            tape.backend().add(a.value(), b.value(), out);
        } else {
            tape.backend().axpby(1f, a.value(), 0f, out);
            tape.backend().axpby(alpha, b.value(), 1f, out);
        }
        Variable y = tape.result(out, a, b);
        tape.record(new Add(a, b, alpha, y));
        return y;
    }

    @Override
    public void backward(Tape tape) {
        Tensor dy = tape.grad(y);
        if (a.requiresGrad()) {
            float beta = tape.gradBeta(a);
            tape.backend().axpby(1f, dy, beta, tape.grad(a));
        }
        if (b.requiresGrad()) {
            float beta = tape.gradBeta(b);
            tape.backend().axpby(alpha, dy, beta, tape.grad(b));
        }
    }

    @Override
    public Variable output() {
        return y;
    }
}
