package bilinear.engine.ops;

import bilinear.engine.autograd.Op;
import bilinear.engine.autograd.Tape;
import bilinear.engine.autograd.Variable;
import bilinear.linalg.Gate;
import bilinear.linalg.Tensor;

/**
 * The product of the two halves of a fused projection: {@code out = σ(l) ⊙ r} where
 * {@code z = [l | r]} row by row. With {@code σ} the identity this is the bilinear layer's
 * {@code (Wx) ⊙ (Vx)}; ReLU, SiLU and GELU give ReGLU, SwiGLU and GeGLU.
 * Shapes: {@code z [B, 2H]} (left half first, the reference layout), {@code out [B, H]}.
 *
 * <pre>
 *   ∂L/∂l = ∂L/∂out ⊙ r ⊙ σ'(l)
 *   ∂L/∂r = ∂L/∂out ⊙ σ(l)
 * </pre>
 * Both halves of {@code ∂L/∂z} are written with the tape's beta in one fused kernel.
 */
public final class GatedProduct implements Op {
    private final Gate gate;
    private final Variable z;
    private final Variable out;

    private GatedProduct(Gate gate, Variable z, Variable out) {
        this.gate = gate;
        this.z = z;
        this.out = out;
    }

    public static Variable apply(Tape tape, Variable z, Gate gate) {
        Tensor zv = z.value();
        if (zv.cols() % 2 != 0) {
            throw new IllegalArgumentException("GatedProduct: input " + zv.shape() + " must have an even last dimension");
        }
        Tensor o = tape.buffer(zv.rows(), zv.cols() / 2);
        tape.backend().glu(gate, zv, o);
        Variable out = tape.result(o, z);
        tape.record(new GatedProduct(gate, z, out));
        return out;
    }

    @Override
    public void backward(Tape tape) {
        if (z.requiresGrad()) {
            float beta = tape.gradBeta(z);
            tape.backend().gluBackward(gate, z.value(), tape.grad(out), beta, tape.grad(z));
        }
    }

    @Override
    public Variable output() {
        return out;
    }
}
