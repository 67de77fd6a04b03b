package bilinear.linalg.simd;

import bilinear.linalg.Parallel;
import bilinear.linalg.Tensor;
import bilinear.linalg.scalar.ScalarSequenceKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API versions of the sequence ops, parallel over rows (each output row written by one
 * thread, so results do not depend on the thread count). Formulas: {@link bilinear.linalg.Backend};
 * shapes are checked by the scalar reference's helpers.
 */
final class SimdSequenceKernels {
    private static final VectorSpecies<Float> S = Simd.FLOAT;
    private static final int L = S.length();
    private static final long PARALLEL_MIN = 1 << 15;

    private final Parallel parallel;

    SimdSequenceKernels(Parallel parallel) {
        this.parallel = parallel;
    }

    void gatherRows(Tensor table, int[] ids, Tensor out) {
        int n = out.rows(), d = out.cols();
        ScalarSequenceKernels.checkIds(ids, n, table.rows());
        parallel.forRange(n, 1, (long) n * d, PARALLEL_MIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                System.arraycopy(table.data(), ids[i] * d, out.data(), i * d, d);
            }
        });
    }

    /** Sequential in i: repeated ids accumulate in a fixed order. */
    void scatterAddRows(Tensor dOut, int[] ids, Tensor dTable) {
        int n = dOut.rows(), d = dOut.cols();
        ScalarSequenceKernels.checkIds(ids, n, dTable.rows());
        float[] g = dOut.data(), t = dTable.data();
        for (int i = 0; i < n; i++) {
            SimdKernels.add(t, ids[i] * d, g, i * d, t, ids[i] * d, d);
        }
    }

    void ropeSplitHeads(Tensor qkv, int batch, int heads, Tensor cos, Tensor sin, Tensor q, Tensor k, Tensor v) {
        int[] l = ScalarSequenceKernels.layout("ropeSplitHeads", qkv, batch, heads, q);
        int t = l[0], dh = l[2], half = dh / 2, d = heads * dh;
        float[] x = qkv.data(), c = cos.data(), s = sin.data();
        parallel.forRange(batch * t, 1, (long) batch * t * 3 * d, PARALLEL_MIN, (from, to) -> {
            for (int r = from; r < to; r++) {
                int b = r / t, pos = r % t, row = r * 3 * d;
                for (int h = 0; h < heads; h++) {
                    int dst = ((b * heads + h) * t + pos) * dh;
                    rotate(x, row + h * dh, c, s, pos * half, half, q.data(), dst, 1f);
                    rotate(x, row + d + h * dh, c, s, pos * half, half, k.data(), dst, 1f);
                    System.arraycopy(x, row + 2 * d + h * dh, v.data(), dst, dh);
                }
            }
        });
    }

    /**
     * out[dst + i] = a·c − b·sign·s, out[dst + i + half] = b·c + a·sign·s with a = x[src + i],
     * b = x[src + i + half]: rotation by +θ (sign 1) or −θ (sign −1).
     */
    private static void rotate(float[] x, int src, float[] c, float[] s, int cs, int half, float[] out, int dst, float sign) {
        int i = 0;
        for (int bound = S.loopBound(half); i < bound; i += L) {
            FloatVector a = FloatVector.fromArray(S, x, src + i), b = FloatVector.fromArray(S, x, src + i + half);
            FloatVector ci = FloatVector.fromArray(S, c, cs + i), si = FloatVector.fromArray(S, s, cs + i).mul(sign);
            a.mul(ci).sub(b.mul(si)).intoArray(out, dst + i);
            b.mul(ci).add(a.mul(si)).intoArray(out, dst + i + half);
        }
        for (; i < half; i++) {
            float a = x[src + i], b = x[src + i + half], ci = c[cs + i], si = sign * s[cs + i];
            out[dst + i] = a * ci - b * si;
            out[dst + i + half] = b * ci + a * si;
        }
    }

    void ropeSplitHeadsBackward(Tensor dq, Tensor dk, Tensor dv, int batch, int heads, Tensor cos, Tensor sin,
                                float beta, Tensor dqkv) {
        int[] l = ScalarSequenceKernels.layout("ropeSplitHeadsBackward", dqkv, batch, heads, dq);
        int t = l[0], dh = l[2], half = dh / 2, d = heads * dh;
        float[] g = dqkv.data(), c = cos.data(), s = sin.data();
        parallel.forRange(batch * t, 1, (long) batch * t * 3 * d, PARALLEL_MIN, (from, to) -> {
            float[] tmp = new float[dh];
            for (int r = from; r < to; r++) {
                int b = r / t, pos = r % t, row = r * 3 * d;
                for (int h = 0; h < heads; h++) {
                    int src = ((b * heads + h) * t + pos) * dh;
                    for (int part = 0; part < 3; part++) {
                        int dst = row + part * d + h * dh;
                        if (part < 2) {
                            rotate(part == 0 ? dq.data() : dk.data(), src, c, s, pos * half, half, tmp, 0, -1f);
                            axpby(1f, tmp, 0, beta, g, dst, dh);
                        } else {
                            axpby(1f, dv.data(), src, beta, g, dst, dh);
                        }
                    }
                }
            }
        });
    }

    void transposeHeads(Tensor from, int batch, int heads, Tensor to, boolean toHeads) {
        Tensor flat = toHeads ? from : to;
        if (from.size() != to.size() || flat.rows() % batch != 0 || flat.cols() % heads != 0) {
            ScalarSequenceKernels.transposeHeads(from, batch, heads, to, toHeads);  // throws the shape error
            return;
        }
        int t = flat.rows() / batch, d = flat.cols(), dh = d / heads;
        parallel.forRange(batch * t, 1, (long) batch * t * d, PARALLEL_MIN, (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int b = r / t, pos = r % t;
                for (int h = 0; h < heads; h++) {
                    int flatOff = r * d + h * dh, headOff = ((b * heads + h) * t + pos) * dh;
                    if (toHeads) {
                        System.arraycopy(from.data(), flatOff, to.data(), headOff, dh);
                    } else {
                        System.arraycopy(from.data(), headOff, to.data(), flatOff, dh);
                    }
                }
            }
        });
    }

    void causalSoftmax(Tensor scores, float scale, Tensor probs) {
        int t = scores.cols(), rows = scores.rows();
        if (rows % t != 0 || probs.size() != scores.size()) {
            throw new IllegalArgumentException("causalSoftmax: scores " + scores.shape() + " must be [G, T, T]");
        }
        float[] x = scores.data(), p = probs.data();
        parallel.forRange(rows, 1, (long) rows * t * 4, PARALLEL_MIN, (from, to) -> {
            for (int r = from; r < to; r++) {
                int o = r * t, n = r % t + 1;
                softmaxRow(scale, x, p, o, n);
                java.util.Arrays.fill(p, o + n, o + t, 0f);
            }
        });
    }

    /**
     * p[o + j] = exp(a·x[o + j] − m) / Σ_j' exp(a·x[o + j'] − m) for j &lt; n, m the row's maximum of
     * a·x, in three passes (max, exp and sum, normalise) over vectors whose lanes past n are masked
     * off, so a causal row of any length runs on vectors only. One call site of
     * {@link VectorMath#exp} per method: a second copy would push C2 past its inlining budget.
     */
    private static void softmaxRow(float scale, float[] x, float[] p, int o, int n) {
        FloatVector mx = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int j = 0; j < n; j += L) {
            VectorMask<Float> m = S.indexInRange(j, n);
            mx = mx.lanewise(VectorOperators.MAX, FloatVector.fromArray(S, x, o + j, m).mul(scale), m);
        }
        float max = mx.reduceLanes(VectorOperators.MAX);  // exact in any order
        FloatVector acc = FloatVector.zero(S);
        for (int j = 0; j < n; j += L) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector e = VectorMath.exp(FloatVector.fromArray(S, x, o + j, m).mul(scale).sub(max)).blend(0f, m.not());
            e.intoArray(p, o + j, m);
            acc = acc.add(e);
        }
        float inv = (float) (1.0 / VectorMath.sumLanes(acc));
        for (int j = 0; j < n; j += L) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector.fromArray(S, p, o + j, m).mul(inv).intoArray(p, o + j, m);
        }
    }

    void causalSoftmaxBackward(Tensor probs, Tensor dProbs, float scale, Tensor dScores) {
        int t = probs.cols(), rows = probs.rows();
        float[] p = probs.data(), g = dProbs.data(), out = dScores.data();
        parallel.forRange(rows, 1, (long) rows * t * 4, PARALLEL_MIN, (from, to) -> {
            for (int r = from; r < to; r++) {
                int o = r * t, n = r % t + 1;
                softmaxGradRow(scale, p, g, out, o, n);
                java.util.Arrays.fill(out, o + n, o + t, 0f);
            }
        });
    }

    /**
     * out[o + j] = scale·p[o + j]·(g[o + j] − Σ_j' g[o + j']·p[o + j']) for j &lt; n, lanes past n
     * masked off; {@code out} may alias {@code g} (the dot is taken before any write).
     */
    private static void softmaxGradRow(float scale, float[] p, float[] g, float[] out, int o, int n) {
        FloatVector acc = FloatVector.zero(S);
        for (int j = 0; j < n; j += L) {
            VectorMask<Float> m = S.indexInRange(j, n);  // lanes masked off load as 0 and add nothing
            acc = FloatVector.fromArray(S, g, o + j, m).fma(FloatVector.fromArray(S, p, o + j, m), acc);
        }
        float dot = (float) VectorMath.sumLanes(acc);
        for (int j = 0; j < n; j += L) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector pj = FloatVector.fromArray(S, p, o + j, m);
            FloatVector.fromArray(S, g, o + j, m).sub(dot).mul(pj).mul(scale).intoArray(out, o + j, m);
        }
    }

    /** y[yOff + i] = alpha·x[xOff + i] + beta·y[yOff + i] for i in [0, n) (y not read when beta = 0). */
    private static void axpby(float alpha, float[] x, int xOff, float beta, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i).mul(alpha);
            if (beta != 0) {
                v = v.add(FloatVector.fromArray(S, y, yOff + i).mul(beta));
            }
            v.intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = beta == 0 ? alpha * x[xOff + i] : alpha * x[xOff + i] + beta * y[yOff + i];
        }
    }
}
