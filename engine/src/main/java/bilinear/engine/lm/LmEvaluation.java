package bilinear.engine.lm;

import bilinear.engine.autograd.Tape;
import bilinear.engine.autograd.Variable;
import bilinear.linalg.Backend;
import bilinear.linalg.Tensor;

/**
 * Validation loss: the token stream cut into consecutive windows of {@code context} inputs
 * (stride = context; the last window shorter), each scored from a fresh context, so every token
 * but the first is predicted exactly once. Mean nats per predicted token.
 */
public final class LmEvaluation {
    private LmEvaluation() {
    }

    public static double validationLoss(Transformer model, int[] tokens, int batch, Backend backend) {
        return validationLoss(model, tokens, batch, backend, Hooks.NONE);
    }

    /** The same with {@code hooks} in the forward pass (for example an SAE spliced in). */
    public static double validationLoss(Transformer model, int[] tokens, int batch, Backend backend, Hooks hooks) {
        return validationLoss(model, tokens, batch, new Tape(backend), hooks);
    }

    /**
     * The same on the buffers of {@code tape} (reset, not recording, on return): a trainer passes
     * its own, whose buffers already have the shapes of a batch, so that evaluating allocates no
     * second set beside them. (With a fresh tape the language model's peak memory grew by half
     * during each validation: 730 MB of heap in use while training, 1,280 MB after evaluating.)
     *
     * <p>Every forward pass has the same shape, {@code min(batch, windows) × ctx}, the last one
     * included, and only the rows holding real windows enter the loss: a pool hands out buffers
     * of exactly the requested size, so a shorter last batch, or the last partial window run as a
     * batch of one, allocated a third set of activations that then stayed in the pool (on the
     * reference language model the heap in use rose from 534 to 704 MB at the end of each
     * validation). The padding cannot change the real rows: windows are independent rows of every
     * product, and the partial window sits at the start of its row, where the causal attention
     * never looks at the padding after it. {@code hooks} see the padding rows too, so they must
     * act row by row (as an SAE spliced in does), not gather statistics.
     */
    public static double validationLoss(Transformer model, int[] tokens, int batch, Tape tape, Hooks hooks) {
        Backend backend = tape.backend();
        int ctx = model.config().context();
        int n = tokens.length;
        double total = 0;
        long count = 0;
        int full = (n - 1) / ctx;  // windows with ctx inputs and ctx targets
        int rest = n - 1 - full * ctx;  // the targets left over after them, as one partial window
        int windows = full + (rest > 0 ? 1 : 0);
        // Rows past the windows of a batch keep earlier tokens (or zeros): valid ids, never scored.
        int perPass = Math.max(1, Math.min(batch, windows));
        int[] in = new int[perPass * ctx], target = new int[perPass * ctx];
        for (int w = 0; w < windows; w += perPass) {
            int b = Math.min(perPass, windows - w);
            int scored = 0;  // positions scored in this batch, the first rows of the logits
            for (int i = 0; i < b; i++) {
                int start = (w + i) * ctx, len = Math.min(ctx, n - 1 - start);
                System.arraycopy(tokens, start, in, i * ctx, len);
                System.arraycopy(tokens, start + 1, target, i * ctx, len);
                scored += len;
            }
            tape.reset(false);
            Variable logits = model.forward(tape, in, perPass, ctx, Transformer.Noise.NONE, hooks);
            Tensor rows = Tensor.wrap(logits.value().data(), scored, logits.value().cols());
            total += backend.softmaxCrossEntropy(rows, target, 0f, null);
            count += scored;
        }
        tape.reset(false);
        return total / count;
    }
}
