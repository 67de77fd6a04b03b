package bilinear.engine.ops;

import bilinear.engine.autograd.Op;
import bilinear.engine.autograd.Tape;
import bilinear.engine.autograd.Variable;
import bilinear.linalg.Backend;
import bilinear.linalg.Tensor;

/**
 * Linear map, the PyTorch {@code nn.Linear} layout: {@code y = x·Wᵀ + b}.
 * Shapes: {@code x [B, D]}, {@code W [O, D]}, {@code b [O]} (optional), {@code y [B, O]}.
 *
 * <pre>
 *   ∂L/∂x = ∂L/∂y · W       [B, O]·[O, D]   gemm(N, N)
 *   ∂L/∂W = (∂L/∂y)ᵀ · x    [O, B]·[B, D]   gemm(T, N)
 *   ∂L/∂b = Σ_B ∂L/∂y       column sums
 * </pre>
 * Each gradient is written with the tape's beta: overwritten on first write, accumulated after.
 * {@code y} is a fresh buffer (overwritten).
 */
public final class Linear implements Op {
    private final Variable x;
    private final Variable w;
    private final Variable b;
    private final Variable y;

    private Linear(Variable x, Variable w, Variable b, Variable y) {
        this.x = x;
        this.w = w;
        this.b = b;
        this.y = y;
    }

    /** {@code x [B, D]}, {@code w [O, D]}, {@code b [O]} or null; returns {@code [B, O]}. */
    public static Variable apply(Tape tape, Variable x, Variable w, Variable b) {
        Tensor xv = x.value(), wv = w.value();
        if (wv.shape().rank() != 2 || xv.cols() != wv.cols()) {
            throw new IllegalArgumentException("Linear: input " + xv.shape() + " does not fit weight " + wv.shape());
        }
        if (b != null && b.value().size() != wv.rows()) {
            throw new IllegalArgumentException("Linear: bias " + b.value().shape() + " does not fit weight " + wv.shape());
        }
        Backend be = tape.backend();
        Tensor out = tape.buffer(xv.rows(), wv.rows());
        be.gemm(false, true, 1f, xv, wv, 0f, out);
        if (b != null) {
            be.addRowVector(out, b.value());
        }
        Variable y = b == null ? tape.result(out, x, w) : tape.result(out, x, w, b);
        tape.record(new Linear(x, w, b, y));
        return y;
    }

    @Override
    public void backward(Tape tape) {
        Backend be = tape.backend();
        Tensor dy = tape.grad(y);
        if (x.requiresGrad()) {
            float beta = tape.gradBeta(x);
            be.gemm(false, false, 1f, dy, w.value(), beta, tape.grad(x));
        }
        if (w.requiresGrad()) {
            float beta = tape.gradBeta(w);
            be.gemm(true, false, 1f, dy, x.value(), beta, tape.grad(w));
        }
        if (b != null && b.requiresGrad()) {
            float beta = tape.gradBeta(b);
            be.sumRows(dy, beta, tape.grad(b));
        }
    }

    @Override
    public Variable output() {
        return y;
    }
}
