package bilinear.engine.ops;

import bilinear.engine.autograd.Op;
import bilinear.engine.autograd.Tape;
import bilinear.engine.autograd.Variable;
import bilinear.linalg.Backend;
import bilinear.linalg.Tensor;
import bilinear.linalg.Triangle;

/**
 * Multi-head causal self-attention with rotary position embeddings, from fused projections to the
 * concatenated head outputs (the output projection is a separate {@link Linear}).
 * B sequences of T tokens, H heads of size dh, D = H·dh, G = B·H.
 *
 * <pre>
 *   q, k, v = split(qkv), q and k rotated        qkv [B·T, 3D] → [G, T, dh] each
 *   P = causalSoftmax(q·kᵀ / √dh)                 [G, T, T]
 *   Z = P·v                                      [G, T, dh]
 *   z = merge(Z)                                 [B·T, D]
 * backward, with dZ = split(∂L/∂z):
 *   dP = dZ·vᵀ,   dv = Pᵀ·dZ
 *   dS = P ⊙ (dP − rowsum(dP ⊙ P)) / √dh          (softmax backward; zero above the diagonal)
 *   dq = dS·k,    dk = dSᵀ·q
 *   ∂L/∂qkv = split⁻¹(rotate⁻¹(dq), rotate⁻¹(dk), dv)
 * </pre>
 * Every product knows the causal mask ({@link Triangle}): the scores and dP are computed on and
 * below the diagonal only, and the products with P or dS skip their zeros above it, so the
 * attention costs about half the flops of dense T×T products.
 * Saves q, k, v and P; the qkv gradient is written with the tape's beta.
 */
public final class CausalSelfAttention implements Op {
    private final Variable qkv;
    private final Variable z;
    private final int batch;
    private final int heads;
    private final Tensor cos;
    private final Tensor sin;
    private final Tensor q;
    private final Tensor k;
    private final Tensor v;
    private final Tensor probs;

    private CausalSelfAttention(Variable qkv, Variable z, int batch, int heads, Tensor cos, Tensor sin,
                                Tensor q, Tensor k, Tensor v, Tensor probs) {
        this.qkv = qkv;
        this.z = z;
        this.batch = batch;
        this.heads = heads;
        this.cos = cos;
        this.sin = sin;
        this.q = q;
        this.k = k;
        this.v = v;
        this.probs = probs;
    }

    /**
     * {@code qkv [B·T, 3D]} for {@code batch} sequences; {@code cos, sin [T', dh/2]} with T' ≥ T
     * (rotary tables, position-major; only the first T rows are used).
     */
    public static Variable apply(Tape tape, Variable qkv, int batch, int heads, Tensor cos, Tensor sin) {
        Backend be = tape.backend();
        Tensor in = qkv.value();
        if (in.rows() % batch != 0 || in.cols() % (3 * heads) != 0) {
            throw new IllegalArgumentException("attention: qkv " + in.shape() + " does not split into " + batch
                    + " sequences and 3 × " + heads + " heads");
        }
        int t = in.rows() / batch, d = in.cols() / 3, dh = d / heads, g = batch * heads;
        if (cos.rows() < t || cos.cols() != dh / 2) {
            throw new IllegalArgumentException("attention: rotary tables " + cos.shape() + " too short for " + t
                    + " positions of head size " + dh);
        }
        Tensor cosT = Tensor.wrap(cos.data(), t, dh / 2), sinT = Tensor.wrap(sin.data(), t, dh / 2);
        Tensor q = tape.buffer(g, t, dh), k = tape.buffer(g, t, dh), v = tape.buffer(g, t, dh);
        be.ropeSplitHeads(in, batch, heads, cosT, sinT, q, k, v);
        Tensor p = tape.buffer(g, t, t);
        be.gemmBatched(Triangle.LOWER_OUTPUT, false, true, 1f, q, k, 0f, p);
        be.causalSoftmax(p, (float) (1 / Math.sqrt(dh)), p);
        Tensor heads3 = tape.buffer(g, t, dh);
        be.gemmBatched(Triangle.LOWER_LEFT, false, false, 1f, p, v, 0f, heads3);
        Tensor out = tape.buffer(batch * t, d);
        be.mergeHeads(heads3, batch, heads, out);
        Variable zv = tape.result(out, qkv);
        tape.record(new CausalSelfAttention(qkv, zv, batch, heads, cosT, sinT, q, k, v, p));
        return zv;
    }

    @Override
    public void backward(Tape tape) {
        if (!qkv.requiresGrad()) {
            return;
        }
        Backend be = tape.backend();
        int g = q.dim(0), t = q.dim(1), dh = q.dim(2);
        Tensor dZ = tape.buffer(g, t, dh);
        be.splitHeads(tape.grad(z), batch, heads, dZ);
        Tensor dP = tape.buffer(g, t, t);
        be.gemmBatched(Triangle.LOWER_OUTPUT, false, true, 1f, dZ, v, 0f, dP);
        Tensor dv = tape.buffer(g, t, dh);
        be.gemmBatched(Triangle.UPPER_LEFT, true, false, 1f, probs, dZ, 0f, dv);
        be.causalSoftmaxBackward(probs, dP, (float) (1 / Math.sqrt(dh)), dP);
        Tensor dq = tape.buffer(g, t, dh), dk = tape.buffer(g, t, dh);
        be.gemmBatched(Triangle.LOWER_LEFT, false, false, 1f, dP, k, 0f, dq);
        be.gemmBatched(Triangle.UPPER_LEFT, true, false, 1f, dP, q, 0f, dk);
        float beta = tape.gradBeta(qkv);
        be.ropeSplitHeadsBackward(dq, dk, dv, batch, heads, cos, sin, beta, tape.grad(qkv));
    }

    @Override
    public Variable output() {
        return z;
    }

    /** Rotary tables for positions [0, t) and head size dh: cos/sin of t·10000^(−2i/dh), i < dh/2. */
    public static Tensor[] rotaryTables(int t, int dh) {
        int half = dh / 2;
        Tensor cos = Tensor.zeros(t, half), sin = Tensor.zeros(t, half);
        for (int p = 0; p < t; p++) {
            for (int i = 0; i < half; i++) {
                // the reference computes the frequencies in float32: inv_freq = 1/10000^(2i/dh)
                float invFreq = (float) (1.0 / Math.pow(10000, (float) (2 * i) / dh));
                float theta = (float) p * invFreq;
                cos.data()[p * half + i] = (float) Math.cos(theta);
                sin.data()[p * half + i] = (float) Math.sin(theta);
            }
        }
        return new Tensor[] {cos, sin};
    }
}
