package bilinear.engine.lm;

import bilinear.engine.autograd.Tape;
import bilinear.engine.autograd.Variable;

/**
 * Taps into a forward pass at the MLPs: see or replace the MLP input (the normalised residual)
 * and the MLP output of each layer. Collecting activations for SAEs and splicing an SAE's
 * reconstruction in place of an activation are both hooks. The default does nothing.
 */
public interface Hooks {
    /** Called with the MLP input {@code [N, D]} of {@code layer}; returns what the MLP should see. */
    default Variable mlpInput(Tape tape, int layer, Variable x) {
        return x;
    }

    /** Called with the MLP output {@code [N, D]} of {@code layer}; returns what is added to the residual. */
    default Variable mlpOutput(Tape tape, int layer, Variable y) {
        return y;
    }

    Hooks NONE = new Hooks() { };
}
