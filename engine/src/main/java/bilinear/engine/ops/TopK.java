package bilinear.engine.ops;

import bilinear.engine.autograd.Op;
import bilinear.engine.autograd.Tape;
import bilinear.engine.autograd.Variable;
import bilinear.linalg.Tensor;

/**
 * The top-k activation of sparse autoencoders: in each row keep the k largest entries, passed
 * through ReLU, and zero the rest. Shapes: {@code x [N, M]} → {@code z [N, M]}.
 *
 * <pre>
 *   ∂L/∂x = ∂L/∂z ⊙ [z > 0]        (the kept, positive entries; zero elsewhere)
 * </pre>
 * The input gradient is written with the tape's beta.
 */
public final class TopK implements Op {
    private final Variable x;
    private final Variable z;

    private TopK(Variable x, Variable z) {
        this.x = x;
        this.z = z;
    }

    public static Variable apply(Tape tape, Variable x, int k) {
        Tensor out = tape.buffer(x.value().shape());
        tape.backend().topKRows(x.value(), k, out);
        Variable zv = tape.result(out, x);
        tape.record(new TopK(x, zv));
        return zv;
    }

    @Override
    public void backward(Tape tape) {
        if (x.requiresGrad()) {
            float beta = tape.gradBeta(x);
            tape.backend().topKBackward(z.value(), tape.grad(z), beta, tape.grad(x));
        }
    }

    @Override
    public Variable output() {
        return z;
    }
}
