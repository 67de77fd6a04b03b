package bilinear.engine.lm;

import bilinear.engine.BadInputException;
import bilinear.linalg.Gate;

/**
 * Architecture of a transformer language model (the reference of the papers, section 6).
 *
 * @param vocab   vocabulary size V
 * @param layers  number of blocks
 * @param dModel  residual width D
 * @param dHidden MLP hidden width H (the bilinear layer's output size)
 * @param heads   attention heads (D must divide evenly, with an even head size)
 * @param context maximum sequence length (rotary tables are built for it)
 * @param gate    {@link Gate#NONE} for the bilinear MLP; RELU / SILU give ReGLU / SwiGLU
 * @param norm    parameter-free RMSNorm before attention, MLP and unembedding; without it the
 *                model relies on latent noise (the workshop variant)
 */
public record LmConfig(int vocab, int layers, int dModel, int dHidden, int heads, int context, Gate gate, boolean norm) {
    public LmConfig {
        if (vocab < 2 || layers < 1 || dModel < 2 || dHidden < 1 || heads < 1 || context < 1) {
            throw new BadInputException("invalid language model: vocab " + vocab + ", layers " + layers + ", d_model "
                    + dModel + ", d_hidden " + dHidden + ", heads " + heads + ", context " + context);
        }
        if (dModel % heads != 0 || (dModel / heads) % 2 != 0) {
            throw new BadInputException("d_model " + dModel + " must split into " + heads + " heads of even size");
        }
        if (gate == null) {
            throw new BadInputException("invalid language model: no gate");
        }
    }

    public LmConfig withVocab(int newVocab) {
        return new LmConfig(newVocab, layers, dModel, dHidden, heads, context, gate, norm);
    }

    public int headSize() {
        return dModel / heads;
    }

    /** The attention branch's residual scale s = 1/√(2·layers). */
    public float attentionScale() {
        return (float) (1 / Math.sqrt(2.0 * layers));
    }

    public String describe() {
        String mlp = switch (gate) {
            case NONE -> "bilinear";
            case RELU -> "ReGLU";
            case SILU -> "SwiGLU";
            case GELU -> "GeGLU";
        };
        return String.format("%d-layer transformer, d_model %d, %s MLP %d, %d heads, context %d, vocab %d%s",
                layers, dModel, mlp, dHidden, heads, context, vocab, norm ? "" : ", no norm");
    }
}
