package bilinear.linalg.scalar;

import bilinear.linalg.Tensor;

/**
 * Reference kernels of the sequence ops (embedding lookup, rotary attention layout, causal
 * softmax): plain loops, the definitions the SIMD versions are tested against. See
 * {@link bilinear.linalg.Backend} for the formulas.
 */
public final class ScalarSequenceKernels {
    private ScalarSequenceKernels() {
    }

    public static void checkIds(int[] ids, int n, int vocab) {
        if (ids.length < n) {
            throw new IllegalArgumentException("gatherRows: " + ids.length + " ids for " + n + " rows");
        }
        for (int i = 0; i < n; i++) {
            if (ids[i] < 0 || ids[i] >= vocab) {
                throw new IllegalArgumentException("token id " + ids[i] + " outside the vocabulary [0, " + vocab + ")");
            }
        }
    }

    public static void gatherRows(Tensor table, int[] ids, Tensor out) {
        int n = out.rows(), d = out.cols();
        checkIds(ids, n, table.rows());
        for (int i = 0; i < n; i++) {
            System.arraycopy(table.data(), ids[i] * d, out.data(), i * d, d);
        }
    }

    public static void scatterAddRows(Tensor dOut, int[] ids, Tensor dTable) {
        int n = dOut.rows(), d = dOut.cols();
        checkIds(ids, n, dTable.rows());
        float[] g = dOut.data(), t = dTable.data();
        for (int i = 0; i < n; i++) {
            int dst = ids[i] * d, src = i * d;
            for (int j = 0; j < d; j++) {
                t[dst + j] += g[src + j];
            }
        }
    }

    /** Shapes of the attention layout: {T, H, dh}. */
    public static int[] layout(String op, Tensor qkv, int batch, int heads, Tensor q) {
        int rows = qkv.rows(), width = qkv.cols();
        if (batch < 1 || heads < 1 || rows % batch != 0 || width % (3 * heads) != 0) {
            throw new IllegalArgumentException(op + ": qkv " + qkv.shape() + " does not split into batch " + batch
                    + " × 3 × " + heads + " heads");
        }
        int t = rows / batch, dh = width / (3 * heads);
        if (dh % 2 != 0 || q.size() != batch * heads * t * dh) {
            throw new IllegalArgumentException(op + ": head size " + dh + " must be even and q " + q.shape()
                    + " must be [" + batch * heads + ", " + t + ", " + dh + "]");
        }
        return new int[] {t, heads, dh};
    }

    public static void ropeSplitHeads(Tensor qkv, int batch, int heads, Tensor cos, Tensor sin, Tensor q, Tensor k, Tensor v) {
        int[] l = layout("ropeSplitHeads", qkv, batch, heads, q);
        int t = l[0], dh = l[2], half = dh / 2, d = heads * dh;
        float[] x = qkv.data(), c = cos.data(), s = sin.data();
        for (int b = 0; b < batch; b++) {
            for (int pos = 0; pos < t; pos++) {
                int row = (b * t + pos) * 3 * d;
                for (int h = 0; h < heads; h++) {
                    int dst = ((b * heads + h) * t + pos) * dh;
                    for (int i = 0; i < half; i++) {
                        float ci = c[pos * half + i], si = s[pos * half + i];
                        for (int part = 0; part < 2; part++) {
                            float[] out = part == 0 ? q.data() : k.data();
                            int src = row + part * d + h * dh;
                            float a = x[src + i], bb = x[src + i + half];
                            out[dst + i] = a * ci - bb * si;
                            out[dst + i + half] = bb * ci + a * si;
                        }
                    }
                    System.arraycopy(x, row + 2 * d + h * dh, v.data(), dst, dh);
                }
            }
        }
    }

    public static void ropeSplitHeadsBackward(Tensor dq, Tensor dk, Tensor dv, int batch, int heads, Tensor cos, Tensor sin,
                                              float beta, Tensor dqkv) {
        int[] l = layout("ropeSplitHeadsBackward", dqkv, batch, heads, dq);
        int t = l[0], dh = l[2], half = dh / 2, d = heads * dh;
        float[] g = dqkv.data(), c = cos.data(), s = sin.data();
        for (int b = 0; b < batch; b++) {
            for (int pos = 0; pos < t; pos++) {
                int row = (b * t + pos) * 3 * d;
                for (int h = 0; h < heads; h++) {
                    int src = ((b * heads + h) * t + pos) * dh;
                    for (int i = 0; i < half; i++) {
                        float ci = c[pos * half + i], si = s[pos * half + i];
                        for (int part = 0; part < 2; part++) {
                            float[] in = part == 0 ? dq.data() : dk.data();
                            int dst = row + part * d + h * dh;
                            float a = in[src + i], bb = in[src + i + half];
                            float ga = a * ci + bb * si, gb = bb * ci - a * si;
                            g[dst + i] = beta == 0 ? ga : ga + beta * g[dst + i];
                            g[dst + i + half] = beta == 0 ? gb : gb + beta * g[dst + i + half];
                        }
                    }
                    int dst = row + 2 * d + h * dh;
                    for (int i = 0; i < dh; i++) {
                        g[dst + i] = beta == 0 ? dv.data()[src + i] : dv.data()[src + i] + beta * g[dst + i];
                    }
                }
            }
        }
    }

    /** {@code toHeads}: [B·T, H·dh] → [B·H, T, dh]; otherwise the reverse. */
    public static void transposeHeads(Tensor from, int batch, int heads, Tensor to, boolean toHeads) {
        Tensor flat = toHeads ? from : to;
        if (from.size() != to.size() || flat.rows() % batch != 0 || flat.cols() % heads != 0) {
            throw new IllegalArgumentException((toHeads ? "splitHeads" : "mergeHeads") + ": " + from.shape() + " → "
                    + to.shape() + " with batch " + batch + " and " + heads + " heads");
        }
        int t = flat.rows() / batch, d = flat.cols(), dh = d / heads;
        for (int b = 0; b < batch; b++) {
            for (int pos = 0; pos < t; pos++) {
                for (int h = 0; h < heads; h++) {
                    int flatOff = (b * t + pos) * d + h * dh, headOff = ((b * heads + h) * t + pos) * dh;
                    if (toHeads) {
                        System.arraycopy(from.data(), flatOff, to.data(), headOff, dh);
                    } else {
                        System.arraycopy(from.data(), headOff, to.data(), flatOff, dh);
                    }
                }
            }
        }
    }

    public static void causalSoftmax(Tensor scores, float scale, Tensor probs) {
        int t = scores.cols(), rows = scores.rows();
        if (rows % t != 0 || probs.size() != scores.size()) {
            throw new IllegalArgumentException("causalSoftmax: scores " + scores.shape() + " must be [G, T, T]");
        }
        float[] x = scores.data(), p = probs.data();
        for (int r = 0; r < rows; r++) {
            int i = r % t, o = r * t;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j <= i; j++) {
                max = Math.max(max, scale * x[o + j]);
            }
            double sum = 0;
            for (int j = 0; j <= i; j++) {
                sum += Math.exp(scale * x[o + j] - max);
            }
            for (int j = 0; j < t; j++) {
                p[o + j] = j <= i ? (float) (Math.exp(scale * x[o + j] - max) / sum) : 0f;
            }
        }
    }

    public static void causalSoftmaxBackward(Tensor probs, Tensor dProbs, float scale, Tensor dScores) {
        int t = probs.cols(), rows = probs.rows();
        float[] p = probs.data(), g = dProbs.data(), out = dScores.data();
        for (int r = 0; r < rows; r++) {
            int o = r * t, i = r % t;
            double dot = 0;
            for (int j = 0; j <= i; j++) {
                dot += (double) g[o + j] * p[o + j];
            }
            for (int j = 0; j < t; j++) {
                out[o + j] = j <= i ? (float) (scale * p[o + j] * (g[o + j] - dot)) : 0f;
            }
        }
    }
}
