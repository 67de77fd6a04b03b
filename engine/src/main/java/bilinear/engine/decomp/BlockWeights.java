package bilinear.engine.decomp;

import bilinear.engine.BadInputException;
import bilinear.engine.model.BilinearClassifier;
import bilinear.engine.model.ImageModelConfig;
import bilinear.linalg.Gate;
import bilinear.linalg.Tensor;

/**
 * One bilinear block's weights arranged for the decomposition: the left and right halves of the
 * fused {@code blocks.i.weight [2H, H]}, with the bias folded in as an extra input column when the
 * input is augmented with a constant 1:
 *
 * <pre>
 *   (W h + b) ⊙ (V h + c)  =  (W̃ h̃) ⊙ (Ṽ h̃),   W̃ = [W b], Ṽ = [V c], h̃ = [h; 1]     W̃, Ṽ [H, N]
 * </pre>
 * {@code N = H + 1} when augmented, else {@code N = H}. The model is augmented when its blocks have
 * biases or residual connections: a residual block adds the linear term {@code s·h}, which in the
 * augmented coordinates is again a quadratic form ({@link InteractionMatrix}). A model without
 * biases but augmented simply has a zero last column.
 *
 * @param index    the block's position in the stack (0 reads the embedding)
 * @param left     {@code W̃ [H, N]}
 * @param right    {@code Ṽ [H, N]}
 * @param residual whether the block adds its input to its output
 */
public record BlockWeights(int index, Tensor left, Tensor right, boolean residual) {

    /** Width of the block's (possibly augmented) input: {@code N}. */
    public int inputSize() {
        return left.cols();
    }

    /** Hidden units {@code H}: the block's output width. */
    public int hidden() {
        return left.rows();
    }

    /** Whether the input carries the constant 1 as its last coordinate. */
    public boolean augmented() {
        return left.cols() == left.rows() + 1;
    }

    /** Whether a model's blocks need the constant input (biases or residual connections). */
    public static boolean augmented(ImageModelConfig c) {
        return c.bias() || c.residual();
    }

    /**
     * Refuses models whose output is not a polynomial of the input: gated (ReGLU, SwiGLU, ...)
     * blocks, or no block at all. The message is one line for the user.
     */
    public static void checkDecomposable(ImageModelConfig c) {
        if (c.gate() != Gate.NONE) {
            throw new BadInputException("only bilinear models decompose exactly; this is a " + c.describe()
                    + " (its gate makes the output non-polynomial)");
        }
        if (c.layers() < 1) {
            throw new BadInputException("this model has no bilinear block to decompose (" + c.describe() + ")");
        }
    }

    /** Block {@code i} of a model, augmented as the model requires. */
    public static BlockWeights of(BilinearClassifier model, int i) {
        ImageModelConfig c = model.config();
        checkDecomposable(c);
        int h = c.hidden();
        int n = augmented(c) ? h + 1 : h;
        Tensor fused = model.block(i);                 // [2H, H]
        Tensor bias = model.blockBias(i);              // [2H] or null
        Tensor w = Tensor.zeros(h, n), v = Tensor.zeros(h, n);
        float[] f = fused.data();
        for (int r = 0; r < h; r++) {
            System.arraycopy(f, r * h, w.data(), r * n, h);
            System.arraycopy(f, (h + r) * h, v.data(), r * n, h);
            if (bias != null) {
                w.data()[r * n + h] = bias.data()[r];
                v.data()[r * n + h] = bias.data()[h + r];
            }
        }
        return new BlockWeights(i, w, v, c.residual());
    }
}
