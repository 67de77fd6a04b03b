package bilinear.linalg.scalar;

import bilinear.linalg.Backend;
import bilinear.linalg.Checks;
import bilinear.linalg.CounterRng;
import bilinear.linalg.Gate;
import bilinear.linalg.Parallel;
import bilinear.linalg.Tensor;
import bilinear.linalg.Triangle;

/**
 * The reference backend: plain loops, the living definition of every kernel. Other backends are
 * tested against it. Matrix products run in parallel over rows of C (each row computed by one
 * thread, the same arithmetic for any thread count); everything else is single-threaded.
 */
public class ScalarBackend implements Backend {
    private static final long PARALLEL_MIN_FLOPS = 1L << 21;
    private final Parallel parallel;

    public ScalarBackend(Parallel parallel) {
        this.parallel = parallel;
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public String describe() {
        return "scalar (plain Java loops), " + threads() + " thread" + (threads() == 1 ? "" : "s");
    }

    @Override
    public int threads() {
        return parallel.threads();
    }

    // ------------------------------------------------------------------ matrix products

    @Override
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        int[] d = Checks.gemmDims("gemm", transA, transB, a, b, c);
        gemm(transA, transB, d[0], d[1], d[2], alpha, a.data(), 0, b.data(), 0, beta, c.data(), 0);
    }

    @Override
    public void gemmBatched(Triangle shape, boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta,
                            Tensor c) {
        int[] d = Checks.batchedDims("gemmBatched", transA, transB, a, b, c);
        int g = d[0], m = d[1], n = d[2], k = d[3];
        for (int i = 0; i < g; i++) {
            gemm(shape, transA, transB, m, n, k, alpha, a.data(), i * m * k, b.data(), i * k * n, beta, c.data(), i * m * n);
        }
    }

    private void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff) {
        gemm(Triangle.NONE, transA, transB, m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff);
    }

    /**
     * {@code C = alpha·op(A)·op(B) + beta·C} on packed row-major operands at the given offsets.
     * Each row of C is accumulated as Σ_p op(A)[i,p]·op(B)[p,:] in float, p ascending; with a
     * {@link Triangle}, row i covers only columns j ≤ i (LOWER_OUTPUT) or depths p ≤ i / p ≥ i
     * (LOWER_LEFT / UPPER_LEFT).
     */
    private void gemm(Triangle shape, boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff) {
        if (m == 0 || n == 0) {
            return;
        }
        final float[] bt;  // op(B) as k×n row-major
        if (transB) {
            bt = new float[k * n];
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) {
                    bt[p * n + j] = b[bOff + j * k + p];
                }
            }
        } else {
            bt = null;
        }
        float[] bk = transB ? bt : b;
        int bBase = transB ? 0 : bOff;
        parallel.forRange(m, 1, 2L * m * n * k, PARALLEL_MIN_FLOPS, (from, to) -> {
            float[] acc = new float[n];
            for (int i = from; i < to; i++) {
                int cols = Math.min(n, shape.endColumn(i));
                int p0 = Math.min(k, shape.firstDepth(i)), p1 = Math.min(k, shape.endDepth(i));
                java.util.Arrays.fill(acc, 0f);
                for (int p = p0; p < p1; p++) {
                    float aip = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                    int row = bBase + p * n;
                    for (int j = 0; j < cols; j++) {
                        acc[j] += aip * bk[row + j];
                    }
                }
                int ci = cOff + i * n;
                for (int j = 0; j < cols; j++) {
                    c[ci + j] = beta == 0 ? alpha * acc[j] : alpha * acc[j] + beta * c[ci + j];
                }
            }
        });
    }

    // ------------------------------------------------------------------ elementwise

    @Override
    public void axpby(float alpha, Tensor x, float beta, Tensor y) {
        Checks.sameSize("axpby", x, y);
        float[] xd = x.data(), yd = y.data();
        for (int i = 0, n = x.size(); i < n; i++) {
            yd[i] = beta == 0 ? alpha * xd[i] : alpha * xd[i] + beta * yd[i];
        }
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        Checks.sameSize("add", a, b);
        Checks.sameSize("add", a, out);
        float[] ad = a.data(), bd = b.data(), od = out.data();
        for (int i = 0, n = a.size(); i < n; i++) {
            od[i] = ad[i] + bd[i];
        }
    }

    @Override
    public void addRowVector(Tensor x, Tensor v) {
        Checks.rowVector("addRowVector", x, v);
        float[] xd = x.data(), vd = v.data();
        int rows = x.rows(), cols = x.cols();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                xd[i * cols + j] += vd[j];
            }
        }
    }

    @Override
    public void addScalar(Tensor x, float c) {
        float[] d = x.data();
        for (int i = 0, n = x.size(); i < n; i++) {
            d[i] += c;
        }
    }

    @Override
    public void unpackGreyLevels(byte[] levels, int[] rows, int from, Tensor out) {
        int d = out.cols();
        Checks.rowIndices("unpackGreyLevels", rows, from, out.rows(), d, levels.length);
        float[] o = out.data();
        for (int i = 0; i < out.rows(); i++) {
            for (int j = 0, src = rows[from + i] * d; j < d; j++) {
                o[i * d + j] = (levels[src + j] & 0xff) / 255f;
            }
        }
    }

    @Override
    public void fill(Tensor x, float value) {
        java.util.Arrays.fill(x.data(), 0, x.size(), value);
    }

    @Override
    public void glu(Gate gate, Tensor z, Tensor out) {
        Checks.gluShapes("glu", z, out);
        float[] zd = z.data(), od = out.data();
        int rows = out.rows(), h = out.cols();
        for (int b = 0; b < rows; b++) {
            for (int j = 0; j < h; j++) {
                double l = zd[b * 2 * h + j], r = zd[b * 2 * h + h + j];
                od[b * h + j] = (float) (gate.apply(l) * r);
            }
        }
    }

    @Override
    public void gluBackward(Gate gate, Tensor z, Tensor dOut, float beta, Tensor dZ) {
        Checks.gluShapes("gluBackward", z, dOut);
        Checks.sameSize("gluBackward", z, dZ);
        float[] zd = z.data(), gd = dOut.data(), dz = dZ.data();
        int rows = dOut.rows(), h = dOut.cols();
        for (int b = 0; b < rows; b++) {
            for (int j = 0; j < h; j++) {
                int li = b * 2 * h + j, ri = li + h;
                double l = zd[li], r = zd[ri], g = gd[b * h + j];
                float dl = (float) (g * r * gate.derivative(l));
                float dr = (float) (g * gate.apply(l));
                dz[li] = beta == 0 ? dl : dl + beta * dz[li];
                dz[ri] = beta == 0 ? dr : dr + beta * dz[ri];
            }
        }
    }

    @Override
    public void addGaussianNoise(Tensor x, float std, long seed, Tensor out) {
        Checks.sameSize("addGaussianNoise", x, out);
        int k1 = CounterRng.key1(seed), k2 = CounterRng.key2(seed);
        float[] xd = x.data(), od = out.data();
        for (int i = 0, n = x.size(); i < n; i++) {
            od[i] = xd[i] + std * CounterRng.gaussian(k1, k2, i);
        }
    }

    // ------------------------------------------------------------------ reductions

    @Override
    public void sumRows(Tensor x, float beta, Tensor out) {
        Checks.rowVector("sumRows", x, out);
        float[] xd = x.data(), od = out.data();
        int rows = x.rows(), cols = x.cols();
        for (int j = 0; j < cols; j++) {
            double s = 0;
            for (int i = 0; i < rows; i++) {
                s += xd[i * cols + j];
            }
            od[j] = beta == 0 ? (float) s : (float) s + beta * od[j];
        }
    }

    @Override
    public double sumSquares(Tensor x) {
        float[] d = x.data();
        double s = 0;
        for (int i = 0, n = x.size(); i < n; i++) {
            s += (double) d[i] * d[i];
        }
        return s;
    }

    @Override
    public double sum(Tensor x) {
        float[] d = x.data();
        double s = 0;
        for (int i = 0, n = x.size(); i < n; i++) {
            s += d[i];
        }
        return s;
    }

    @Override
    public double dot(Tensor a, Tensor b) {
        Checks.sameSize("dot", a, b);
        float[] ad = a.data(), bd = b.data();
        double s = 0;
        for (int i = 0, n = a.size(); i < n; i++) {
            s += (double) ad[i] * bd[i];
        }
        return s;
    }

    // ------------------------------------------------------------------ normalisation

    @Override
    public void rmsNorm(Tensor x, float eps, Tensor y, Tensor invRms) {
        Checks.sameSize("rmsNorm", x, y);
        float[] xd = x.data(), yd = y.data(), r = invRms.data();
        int rows = x.rows(), cols = x.cols();
        for (int b = 0; b < rows; b++) {
            double ss = 0;
            for (int j = 0; j < cols; j++) {
                ss += (double) xd[b * cols + j] * xd[b * cols + j];
            }
            float inv = (float) (1.0 / Math.sqrt(ss / cols + eps));
            r[b] = inv;
            for (int j = 0; j < cols; j++) {
                yd[b * cols + j] = xd[b * cols + j] * inv;
            }
        }
    }

    @Override
    public void rmsNormBackward(Tensor y, Tensor invRms, Tensor dy, float beta, Tensor dx) {
        Checks.sameSize("rmsNormBackward", y, dy);
        Checks.sameSize("rmsNormBackward", y, dx);
        float[] yd = y.data(), r = invRms.data(), g = dy.data(), out = dx.data();
        int rows = y.rows(), cols = y.cols();
        for (int b = 0; b < rows; b++) {
            double dot = 0;
            for (int j = 0; j < cols; j++) {
                dot += (double) g[b * cols + j] * yd[b * cols + j];
            }
            float mean = (float) (dot / cols);
            for (int j = 0; j < cols; j++) {
                int i = b * cols + j;
                float v = r[b] * (g[i] - yd[i] * mean);
                out[i] = beta == 0 ? v : v + beta * out[i];
            }
        }
    }

    // ------------------------------------------------------------------ classification

    @Override
    public void softmaxRows(Tensor x, Tensor out) {
        Checks.sameSize("softmaxRows", x, out);
        float[] xd = x.data(), od = out.data();
        int rows = x.rows(), cols = x.cols();
        for (int b = 0; b < rows; b++) {
            int o = b * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, xd[o + j]);
            }
            double s = 0;
            for (int j = 0; j < cols; j++) {
                float e = (float) Math.exp(xd[o + j] - max);
                od[o + j] = e;
                s += e;
            }
            float inv = (float) (1.0 / s);
            for (int j = 0; j < cols; j++) {
                od[o + j] *= inv;
            }
        }
    }

    @Override
    public double softmaxCrossEntropy(Tensor logits, int[] labels, float scale, Tensor dLogits) {
        Checks.labels("softmaxCrossEntropy", logits, labels);
        if (dLogits != null) {
            Checks.sameSize("softmaxCrossEntropy", logits, dLogits);
        }
        float[] x = logits.data();
        int rows = logits.rows(), cols = logits.cols();
        double total = 0;
        for (int b = 0; b < rows; b++) {
            int o = b * cols, y = labels[b];
            if (y < 0 || y >= cols) {
                throw new IllegalArgumentException("softmaxCrossEntropy: label " + y + " outside [0, " + cols + ")");
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, x[o + j]);
            }
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += Math.exp(x[o + j] - max);
            }
            double logZ = max + Math.log(s);
            total += logZ - x[o + y];
            if (dLogits != null) {
                float[] d = dLogits.data();
                for (int j = 0; j < cols; j++) {
                    double p = Math.exp(x[o + j] - logZ);
                    d[o + j] = (float) (scale * (p - (j == y ? 1 : 0)));
                }
            }
        }
        return total;
    }

    @Override
    public void argmaxRows(Tensor x, int[] out) {
        float[] xd = x.data();
        int rows = x.rows(), cols = x.cols();
        for (int b = 0; b < rows; b++) {
            int best = 0;
            for (int j = 1; j < cols; j++) {
                if (xd[b * cols + j] > xd[b * cols + best]) {
                    best = j;
                }
            }
            out[b] = best;
        }
    }

    // ------------------------------------------------------------------ optimisation

    @Override
    public void adamw(Tensor param, Tensor grad, float gradScale, Tensor m, Tensor v, AdamWStep s) {
        Checks.sameSize("adamw", param, grad);
        Checks.sameSize("adamw", param, m);
        Checks.sameSize("adamw", param, v);
        float[] p = param.data(), g = grad.data(), md = m.data(), vd = v.data();
        float decay = 1 - s.lr() * s.weightDecay();
        float stepSize = s.lr() / s.biasCorrection1();
        float sqrtBc2 = (float) Math.sqrt(s.biasCorrection2());
        for (int i = 0, n = param.size(); i < n; i++) {
            float gi = g[i] * gradScale;
            md[i] = s.beta1() * md[i] + (1 - s.beta1()) * gi;
            vd[i] = s.beta2() * vd[i] + (1 - s.beta2()) * gi * gi;
            float denom = (float) Math.sqrt(vd[i]) / sqrtBc2 + s.eps();
            p[i] = p[i] * decay - stepSize * md[i] / denom;
        }
    }

    // ------------------------------------------------------------------ sequences

    @Override
    public void gatherRows(Tensor table, int[] ids, Tensor out) {
        ScalarSequenceKernels.gatherRows(table, ids, out);
    }

    @Override
    public void scatterAddRows(Tensor dOut, int[] ids, Tensor dTable) {
        ScalarSequenceKernels.scatterAddRows(dOut, ids, dTable);
    }

    @Override
    public void ropeSplitHeads(Tensor qkv, int batch, int heads, Tensor cos, Tensor sin, Tensor q, Tensor k, Tensor v) {
        ScalarSequenceKernels.ropeSplitHeads(qkv, batch, heads, cos, sin, q, k, v);
    }

    @Override
    public void ropeSplitHeadsBackward(Tensor dq, Tensor dk, Tensor dv, int batch, int heads, Tensor cos, Tensor sin,
                                       float beta, Tensor dqkv) {
        ScalarSequenceKernels.ropeSplitHeadsBackward(dq, dk, dv, batch, heads, cos, sin, beta, dqkv);
    }

    @Override
    public void mergeHeads(Tensor z, int batch, int heads, Tensor out) {
        ScalarSequenceKernels.transposeHeads(z, batch, heads, out, false);
    }

    @Override
    public void splitHeads(Tensor x, int batch, int heads, Tensor out) {
        ScalarSequenceKernels.transposeHeads(x, batch, heads, out, true);
    }

    @Override
    public void causalSoftmax(Tensor scores, float scale, Tensor probs) {
        ScalarSequenceKernels.causalSoftmax(scores, scale, probs);
    }

    @Override
    public void causalSoftmaxBackward(Tensor probs, Tensor dProbs, float scale, Tensor dScores) {
        ScalarSequenceKernels.causalSoftmaxBackward(probs, dProbs, scale, dScores);
    }

    // ------------------------------------------------------------------ sparse autoencoders

    @Override
    public void topKRows(Tensor x, int k, Tensor out) {
        ScalarSparseKernels.topKRows(x, k, out);
    }

    @Override
    public void topKBackward(Tensor out, Tensor dOut, float beta, Tensor dx) {
        ScalarSparseKernels.topKBackward(out, dOut, beta, dx);
    }
}
