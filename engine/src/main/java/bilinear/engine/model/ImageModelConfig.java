package bilinear.engine.model;

import bilinear.engine.BadInputException;
import bilinear.linalg.Gate;

/**
 * Architecture of an image classifier: {@code embed} (input → hidden, no bias), {@code layers}
 * gated blocks (hidden → hidden, fused {@code [2·hidden, hidden]} weight, left rows first,
 * optional bias, optionally residual), {@code head} (hidden → classes, no bias).
 *
 * @param inputDim pixels per image (784 for 28×28)
 * @param hidden   the hidden width {@code d}
 * @param classes  number of outputs
 * @param layers   number of gated blocks (the paper's models have 1)
 * @param residual whether each block adds its input back ({@code h = h + block(h)})
 * @param gate     {@link Gate#NONE} for bilinear; the others give the GLU baselines
 * @param bias     whether blocks have biases ({@code blocks.i.bias [2·hidden]})
 */
public record ImageModelConfig(int inputDim, int hidden, int classes, int layers, boolean residual,
                               Gate gate, boolean bias) {
    public ImageModelConfig {
        if (inputDim < 1 || hidden < 1 || classes < 2 || layers < 0) {
            throw new BadInputException("invalid model: input " + inputDim + ", hidden " + hidden + ", classes "
                    + classes + ", layers " + layers + " (need input ≥ 1, hidden ≥ 1, classes ≥ 2, layers ≥ 0)");
        }
        if (gate == null) {
            throw new BadInputException("invalid model: no gate");
        }
    }

    /** The paper's single-layer bilinear classifier for 28×28 images and 10 classes. */
    public static ImageModelConfig bilinear(int hidden) {
        return new ImageModelConfig(784, hidden, 10, 1, false, Gate.NONE, false);
    }

    public String describe() {
        String kind = switch (gate) {
            case NONE -> "bilinear";
            case RELU -> "ReGLU";
            case SILU -> "SwiGLU";
            case GELU -> "GeGLU";
        };
        return String.format("%s classifier %d→%d→%d, %d block%s%s%s", kind, inputDim, hidden, classes, layers,
                layers == 1 ? "" : "s", residual ? ", residual" : "", bias ? ", with biases" : "");
    }
}
