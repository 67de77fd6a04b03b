package bilinear.engine.ops;

import bilinear.engine.autograd.Op;
import bilinear.engine.autograd.Tape;
import bilinear.engine.autograd.Variable;
import bilinear.linalg.Tensor;

/**
 * Elementwise sum, used for residual connections: {@code y = a + b}, all of one shape.
 *
 * <pre>
 *   ∂L/∂a = ∂L/∂y,   ∂L/∂b = ∂L/∂y
 * </pre>
 * Each input's gradient is written with the tape's beta.
 */
public final class Add implements Op {
    private final Variable a;
    private final Variable b;
    private final Variable y;

    private Add(Variable a, Variable b, Variable y) {
        this.a = a;
        this.b = b;
        this.y = y;
    }

    public static Variable apply(Tape tape, Variable a, Variable b) {
        if (!a.value().shape().equals(b.value().shape())) {
            throw new IllegalArgumentException("Add: shapes differ, " + a.value().shape() + " vs " + b.value().shape());
        }
        Tensor out = tape.buffer(a.value().shape());
        tape.backend().add(a.value(), b.value(), out);
        Variable y = tape.result(out, a, b);
        tape.record(new Add(a, b, y));
        return y;
    }

    @Override
    public void backward(Tape tape) {
        Tensor dy = tape.grad(y);
        for (Variable in : new Variable[] {a, b}) {
            if (in.requiresGrad()) {
                float beta = tape.gradBeta(in);
                tape.backend().axpby(1f, dy, beta, tape.grad(in));
            }
        }
    }

    @Override
    public Variable output() {
        return y;
    }
}
