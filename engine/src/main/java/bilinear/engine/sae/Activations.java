package bilinear.engine.sae;

import bilinear.engine.BadInputException;
import bilinear.engine.autograd.Tape;
import bilinear.engine.autograd.Variable;
import bilinear.engine.lm.Hooks;
import bilinear.engine.lm.Transformer;
import bilinear.linalg.Backend;
import bilinear.linalg.Tensor;

/**
 * Collects a model's activations at a site: the token stream is cut into consecutive windows of
 * the model's context, run through the model without gradients, and the rows at the site copied
 * out, up to {@code maxTokens} rows {@code [N, D]}.
 */
public final class Activations {
    private Activations() {
    }

    /** What was collected: activations and, per row, the token ids and their positions in the stream. */
    public record Collected(Tensor values, int[] tokens, int[] positions) {
    }

    public static Collected collect(Transformer model, int[] stream, Site site, int maxTokens, int batch, Backend backend) {
        if (site.layer() < 0 || site.layer() >= model.config().layers()) {
            throw new BadInputException("layer " + site.layer() + " does not exist (the model has " + model.config().layers() + ")");
        }
        int ctx = model.config().context(), d = model.config().dModel();
        int windows = Math.min((stream.length - 1) / ctx, (maxTokens + ctx - 1) / ctx);
        if (windows < 1) {
            throw new BadInputException("the token stream is shorter than one context window of " + ctx);
        }
        int n = Math.min(maxTokens, windows * ctx);
        Tensor out = Tensor.zeros(n, d);
        int[] tokens = new int[n], positions = new int[n];
        Tape tape = new Tape(backend);
        int[] ids = new int[batch * ctx];
        int row = 0;
        for (int w = 0; w < windows && row < n; w += batch) {
            int b = Math.min(batch, windows - w);
            System.arraycopy(stream, w * ctx, ids, 0, b * ctx);
            tape.reset(false);
            Tensor[] seen = new Tensor[1];
            model.forward(tape, ids, b, ctx, Transformer.Noise.NONE, tap(site, seen));
            int rows = Math.min(b * ctx, n - row);
            System.arraycopy(seen[0].data(), 0, out.data(), row * d, rows * d);
            for (int i = 0; i < rows; i++) {
                tokens[row + i] = ids[i];
                positions[row + i] = w * ctx + i;
            }
            row += rows;
        }
        tape.reset(false);
        return new Collected(out, tokens, positions);
    }

    /** A hook that records the site's activation tensor (valid until the tape is reset). */
    public static Hooks tap(Site site, Tensor[] seen) {
        return new Hooks() {
            @Override
            public Variable mlpInput(Tape tape, int layer, Variable x) {
                if (layer == site.layer() && site.point() == Site.Point.MLP_IN) {
                    seen[0] = x.value();
                }
                return x;
            }

            @Override
            public Variable mlpOutput(Tape tape, int layer, Variable y) {
                if (layer == site.layer() && site.point() == Site.Point.MLP_OUT) {
                    seen[0] = y.value();
                }
                return y;
            }
        };
    }

    /** A hook that replaces the site's activation by the SAE's reconstruction. */
    public static Hooks splice(TopKSae sae) {
        Site site = sae.config().site();
        return new Hooks() {
            @Override
            public Variable mlpInput(Tape tape, int layer, Variable x) {
                return layer == site.layer() && site.point() == Site.Point.MLP_IN ? sae.reconstruct(tape, x) : x;
            }

            @Override
            public Variable mlpOutput(Tape tape, int layer, Variable y) {
                return layer == site.layer() && site.point() == Site.Point.MLP_OUT ? sae.reconstruct(tape, y) : y;
            }
        };
    }
}
