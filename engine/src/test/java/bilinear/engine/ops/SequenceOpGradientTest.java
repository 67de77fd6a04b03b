package bilinear.engine.ops;

import bilinear.engine.TestSupport;
import bilinear.engine.autograd.GradCheck;
import bilinear.engine.autograd.Parameter;
import bilinear.linalg.Backend;
import bilinear.linalg.Tensor;
import org.junit.jupiter.api.Test;

/** Finite-difference checks of the language-model ops, on the scalar reference and the SIMD backend. */
class SequenceOpGradientTest {
    static final double EXACT = 2e-3;
    static final double SMOOTH = 5e-3;

    @Test
    void embeddingWithRepeatedIds() {
        int[] ids = {3, 0, 3, 5, 1, 3, 0};
        for (Backend be : TestSupport.all()) {
            Parameter table = new Parameter("wte", TestSupport.gaussian(1, 1f, 6, 9));
            GradCheck.check("Embedding", be, t -> Embedding.apply(t, table, ids, ids.length), 1e-2, 60, EXACT, table);
        }
    }

    @Test
    void causalAttentionWithRotaryEmbeddings() {
        // two sequences of 7 tokens, 2 heads of size 6 (odd T, rotary pairs, the causal mask)
        int batch = 2, t = 7, heads = 2, dh = 6;
        Tensor[] rope = CausalSelfAttention.rotaryTables(9, dh);
        for (Backend be : TestSupport.all()) {
            Parameter qkv = new Parameter("qkv", TestSupport.gaussian(2, 1f, batch * t, 3 * heads * dh));
            GradCheck.check("CausalSelfAttention", be, tape -> CausalSelfAttention.apply(tape, qkv, batch, heads, rope[0], rope[1]),
                    1e-3, 120, SMOOTH, qkv);
        }
    }

    @Test
    void attentionIsCausal() {
        // changing the last token's q, k, v must not change any earlier position's output
        int t = 5, heads = 1, dh = 4;
        Tensor[] rope = CausalSelfAttention.rotaryTables(t, dh);
        for (Backend be : TestSupport.all()) {
            Tensor x = TestSupport.gaussian(3, 1f, t, 3 * dh);
            Tensor before = run(be, x, rope, heads);
            for (int j = 0; j < 3 * dh; j++) {
                x.data()[(t - 1) * 3 * dh + j] += 5f;
            }
            Tensor after = run(be, x, rope, heads);
            for (int i = 0; i < (t - 1) * dh; i++) {
                org.junit.jupiter.api.Assertions.assertEquals(before.data()[i], after.data()[i], 0f, "position " + i / dh);
            }
        }
    }

    private static Tensor run(Backend be, Tensor x, Tensor[] rope, int heads) {
        bilinear.engine.autograd.Tape tape = new bilinear.engine.autograd.Tape(be);
        tape.reset(false);
        return CausalSelfAttention.apply(tape, tape.constant(x), 1, heads, rope[0], rope[1]).value().copy();
    }

    @Test
    void scaledResidual() {
        for (Backend be : TestSupport.all()) {
            Parameter a = new Parameter("a", TestSupport.gaussian(4, 1f, 3, 11));
            Parameter b = new Parameter("b", TestSupport.gaussian(5, 1f, 3, 11));
            GradCheck.check("Add(a, 0.35·b)", be, t -> Add.apply(t, a, b, 0.35f), 1e-2, 40, EXACT, a, b);
        }
    }
}
