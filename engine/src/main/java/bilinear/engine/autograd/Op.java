package bilinear.engine.autograd;

/**
 * One recorded operation. Each op class computes its forward pass in a static {@code apply}
 * method that records an instance on the tape, and holds the matching backward pass; its header
 * states the formula, each partial derivative, the shapes, and which buffers are overwritten and
 * which accumulated.
 */
public interface Op {
    /** Propagates the gradient of this op's output to its inputs. Called only when that gradient exists. */
    void backward(Tape tape);

    /** The variable this op produced. */
    Variable output();
}
