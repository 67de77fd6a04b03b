package bilinear.engine.autograd;

import bilinear.linalg.Tensor;

/**
 * A trainable tensor with a persistent gradient buffer, named as in the reference PyTorch state
 * dict (for example {@code blocks.0.weight}).
 */
public final class Parameter extends Variable {
    private final String name;

    public Parameter(String name, Tensor value) {
        super(value, true);
        this.name = name;
        this.grad = Tensor.zeros(value.shape());
    }

    public String name() {
        return name;
    }

    /** Marks the gradient as stale; the next backward overwrites it. */
    public void clearGrad() {
        gradWritten = false;
    }

    @Override
    public String toString() {
        return name + value().shape();
    }
}
