package bilinear.engine.autograd;

import bilinear.linalg.Tensor;

/**
 * A value in the computation and, once backward has reached it, its gradient.
 *
 * <p>Gradients are written, not zeroed then added: the first op that produces a gradient for this
 * variable overwrites the buffer (BLAS {@code beta = 0}), later ones accumulate
 * ({@code beta = 1}). {@link Tape#gradBeta} hands out that beta, which saves a pass of zeroing
 * per buffer per step.
 */
public class Variable {
    private final Tensor value;
    private final boolean requiresGrad;
    Tensor grad;
    boolean gradWritten;

    Variable(Tensor value, boolean requiresGrad) {
        this.value = value;
        this.requiresGrad = requiresGrad;
    }

    public Tensor value() {
        return value;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * The gradient, or null when backward has not written one (the variable did not affect the
     * loss) or has already released it (an op's output: see {@link Tape#backward}).
     */
    public Tensor grad() {
        return gradWritten ? grad : null;
    }

    /** True once backward has written this variable's gradient in the current step. */
    public boolean hasGrad() {
        return gradWritten;
    }
}
