package bilinear.engine.ops;

import bilinear.engine.autograd.Op;
import bilinear.engine.autograd.Tape;
import bilinear.engine.autograd.Variable;
import bilinear.linalg.Tensor;

/**
 * Parameter-free RMSNorm over the last dimension: {@code y = x / sqrt(mean(x²) + eps)}, with
 * {@code r = 1/sqrt(mean(x²) + eps)} per row. Shapes: {@code x [B, D]}, {@code y [B, D]}.
 *
 * <pre>
 *   ∂L/∂x = r · (∂L/∂y − y · mean(∂L/∂y ⊙ y))      row by row
 * </pre>
 * Saves {@code y} and {@code r}; the input gradient is written with the tape's beta.
 */
public final class RmsNorm implements Op {
    public static final float DEFAULT_EPS = 1e-8f;
    private final Variable x;
    private final Variable y;
    private final Tensor invRms;

    private RmsNorm(Variable x, Variable y, Tensor invRms) {
        this.x = x;
        this.y = y;
        this.invRms = invRms;
    }

    public static Variable apply(Tape tape, Variable x, float eps) {
        Tensor xv = x.value();
        Tensor out = tape.buffer(xv.shape());
        Tensor r = tape.buffer(xv.rows());
        tape.backend().rmsNorm(xv, eps, out, r);
        Variable y = tape.result(out, x);
        tape.record(new RmsNorm(x, y, r));
        return y;
    }

    @Override
    public void backward(Tape tape) {
        if (x.requiresGrad()) {
            float beta = tape.gradBeta(x);
            tape.backend().rmsNormBackward(y.value(), invRms, tape.grad(y), beta, tape.grad(x));
        }
    }

    @Override
    public Variable output() {
        return y;
    }
}
