package bilinear.engine.lm;

import bilinear.engine.autograd.Tape;
import bilinear.engine.autograd.Variable;
import bilinear.linalg.Backend;

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
     */
    public static double validationLoss(Transformer model, int[] tokens, int batch, Tape tape, Hooks hooks) {
        Backend backend = tape.backend();
        int ctx = model.config().context();
        int n = tokens.length;
        double total = 0;
        long count = 0;
        int full = (n - 1) / ctx;  // windows with ctx inputs and ctx targets
        int[] in = new int[batch * ctx], target = new int[batch * ctx];
        for (int w = 0; w < full; w += batch) {
            int b = Math.min(batch, full - w);
            for (int i = 0; i < b; i++) {
                System.arraycopy(tokens, (w + i) * ctx, in, i * ctx, ctx);
                System.arraycopy(tokens, (w + i) * ctx + 1, target, i * ctx, ctx);
            }
            tape.reset(false);
            Variable logits = model.forward(tape, in, b, ctx, Transformer.Noise.NONE, hooks);
            total += backend.softmaxCrossEntropy(logits.value(), target, 0f, null);
            count += (long) b * ctx;
        }
        int start = full * ctx, rest = n - 1 - start;
        if (rest > 0) {
            System.arraycopy(tokens, start, in, 0, rest);
            System.arraycopy(tokens, start + 1, target, 0, rest);
            tape.reset(false);
            Variable logits = model.forward(tape, in, 1, rest, Transformer.Noise.NONE, hooks);
            total += backend.softmaxCrossEntropy(logits.value(), target, 0f, null);
            count += rest;
        }
        tape.reset(false);
        return total / count;
    }
}
