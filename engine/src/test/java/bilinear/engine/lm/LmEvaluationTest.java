package bilinear.engine.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import bilinear.engine.TestSupport;
import bilinear.engine.autograd.Tape;
import bilinear.linalg.Backend;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LmEvaluationTest {
    static final LmConfig C = TransformerTest.TINY;  // context 12
    static final int BATCH = 3;
    /** 7 full windows (two full batches and one of a single window) and a partial one of 5 targets. */
    static final int TOKENS = 7 * 12 + 5 + 1;

    static int[] tokens(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] t = new int[TOKENS];
        for (int i = 0; i < t.length; i++) {
            t[i] = r.nextInt(C.vocab());
        }
        return t;
    }

    /** Each window scored on its own, as a sequence of its own length: the definition of the loss. */
    static double windowByWindow(Transformer model, int[] tokens, Backend be) {
        double total = 0;
        int count = 0;
        for (int start = 0; start < tokens.length - 1; start += C.context()) {
            int len = Math.min(C.context(), tokens.length - 1 - start);
            Tape tape = new Tape(be);
            tape.reset(false);
            var logits = model.forward(tape, Arrays.copyOfRange(tokens, start, start + len), 1, len,
                    Transformer.Noise.NONE, Hooks.NONE);
            total += be.softmaxCrossEntropy(logits.value(), Arrays.copyOfRange(tokens, start + 1, start + 1 + len), 0f, null);
            count += len;
        }
        return total / count;
    }

    @Test
    void raggedLastBatchAndPartialWindowScoreTheirOwnTokensOnly() {
        Transformer model = Transformer.initialise(C, 5);
        int[] tokens = tokens(11);
        for (Backend be : TestSupport.all()) {
            double expected = windowByWindow(model, tokens, be);
            double batched = LmEvaluation.validationLoss(model, tokens, BATCH, be);
            assertEquals(expected, batched, 1e-5 * Math.abs(expected), be.describe());
            // Fewer windows than a batch: one pass of just those windows.
            int[] short2 = Arrays.copyOf(tokens, C.context() + 4);
            double few = windowByWindow(model, short2, be);
            assertEquals(few, LmEvaluation.validationLoss(model, short2, BATCH, be), 1e-5 * Math.abs(few), be.describe());
        }
    }

    /**
     * On a tape that has run one forward pass of a batch (as the trainer's has), evaluating
     * allocates nothing: the ragged last batch and the partial window run at the batch's shape.
     */
    @Test
    void evaluatesOnTheBuffersOfOneBatch() {
        Transformer model = Transformer.initialise(C, 5);
        Backend be = TestSupport.simd(1);
        Tape oneBatch = new Tape(be);
        oneBatch.reset(false);
        model.forward(oneBatch, new int[BATCH * C.context()], BATCH, C.context(), Transformer.Noise.NONE, Hooks.NONE);
        long batchFloats = oneBatch.pooledFloats();

        Tape tape = new Tape(be);
        LmEvaluation.validationLoss(model, tokens(3), BATCH, tape, Hooks.NONE);
        assertEquals(batchFloats, tape.pooledFloats());
    }
}
