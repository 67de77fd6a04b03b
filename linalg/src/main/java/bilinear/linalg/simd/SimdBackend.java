package bilinear.linalg.simd;

import bilinear.linalg.Backend;
import bilinear.linalg.Checks;
import bilinear.linalg.CounterRng;
import bilinear.linalg.Gate;
import bilinear.linalg.Parallel;
import bilinear.linalg.Tensor;
import bilinear.linalg.Triangle;
import bilinear.linalg.scalar.ScalarSparseKernels;

/**
 * The Vector API backend: {@link SimdGemm} for products, {@link SimdKernels} for the rest, split
 * over the engine's pool by rows or by fixed-size element blocks. Reductions combine per-block
 * partial sums in block order, so results never depend on the thread count.
 *
 * <p>Construct it only through {@link bilinear.linalg.Backends}, which checks first that the
 * Vector API will actually be compiled to vector instructions on this JVM.
 */
public final class SimdBackend implements Backend {
    /** Elementwise work below this many elements stays on the calling thread. */
    private static final int PARALLEL_MIN_ELEMENTS = 1 << 15;
    /** Reductions sum fixed blocks of this many elements, then the blocks in order. */
    private static final int REDUCE_BLOCK = 1 << 14;

    private final Parallel parallel;
    private final SimdGemm gemm;
    private final SimdSequenceKernels sequences;

    public SimdBackend(Parallel parallel) {
        this.parallel = parallel;
        this.gemm = new SimdGemm(parallel);
        this.sequences = new SimdSequenceKernels(parallel);
    }

    @Override
    public String name() {
        return "simd";
    }

    @Override
    public String describe() {
        return "simd (Vector API, " + Simd.FLOAT.vectorBitSize() + "-bit, " + Simd.LANES + " float lanes, GEMM tile "
                + MicroKernels.MR + "×" + MicroKernels.NR + "), " + threads() + " thread" + (threads() == 1 ? "" : "s");
    }

    @Override
    public int threads() {
        return parallel.threads();
    }

    @Override
    public WarmUpRounds trainingWarmUp() {
        return new WarmUp(this);
    }

    /** Vector width in bits this JVM's kernels use. */
    public static int vectorBits() {
        return Simd.FLOAT.vectorBitSize();
    }

    // ------------------------------------------------------------------ products

    @Override
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        int[] d = Checks.gemmDims("gemm", transA, transB, a, b, c);
        gemm.gemm(transA, transB, d[0], d[1], d[2], alpha, a.data(), 0, b.data(), 0, beta, c.data(), 0, true);
    }

    @Override
    public void gemmBatched(Triangle shape, boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta,
                            Tensor c) {
        int[] d = Checks.batchedDims("gemmBatched", transA, transB, a, b, c);
        int g = d[0], m = d[1], n = d[2], k = d[3];
        float[] ad = a.data(), bd = b.data(), cd = c.data();
        if (g >= threads()) {
            // Independent matrices: one thread per group of matrices, each product single-threaded.
            parallel.forRange(g, 1, 2L * g * m * n * k, SimdGemm.PARALLEL_MIN_FLOPS, (from, to) -> {
                for (int i = from; i < to; i++) {
                    gemm.gemm(shape, transA, transB, m, n, k, alpha, ad, i * m * k, bd, i * k * n, beta, cd, i * m * n, false);
                }
            });
        } else {
            for (int i = 0; i < g; i++) {
                gemm.gemm(shape, transA, transB, m, n, k, alpha, ad, i * m * k, bd, i * k * n, beta, cd, i * m * n, true);
            }
        }
    }

    // ------------------------------------------------------------------ elementwise

    private void elements(int n, Parallel.RangeBody body) {
        parallel.forRange(n, 4 * Simd.LANES, n, PARALLEL_MIN_ELEMENTS, body);
    }

    private void rows(Tensor x, int flopsPerRow, Parallel.RangeBody body) {
        parallel.forRange(x.rows(), 1, (long) x.rows() * flopsPerRow, PARALLEL_MIN_ELEMENTS, body);
    }

    @Override
    public void axpby(float alpha, Tensor x, float beta, Tensor y) {
        Checks.sameSize("axpby", x, y);
        elements(x.size(), (from, to) -> SimdKernels.axpby(alpha, x.data(), beta, y.data(), from, to));
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        Checks.sameSize("add", a, b);
        Checks.sameSize("add", a, out);
        elements(a.size(), (from, to) -> SimdKernels.add(a.data(), from, b.data(), from, out.data(), from, to - from));
    }

    @Override
    public void addRowVector(Tensor x, Tensor v) {
        Checks.rowVector("addRowVector", x, v);
        int cols = x.cols();
        rows(x, cols, (from, to) -> {
            for (int r = from; r < to; r++) {
                SimdKernels.add(x.data(), r * cols, v.data(), 0, x.data(), r * cols, cols);
            }
        });
    }

    @Override
    public void addScalar(Tensor x, float c) {
        elements(x.size(), (from, to) -> SimdKernels.addScalar(x.data(), c, from, to));
    }

    @Override
    public void unpackGreyLevels(byte[] levels, int[] rowIndices, int from, Tensor out) {
        int d = out.cols();
        Checks.rowIndices("unpackGreyLevels", rowIndices, from, out.rows(), d, levels.length);
        rows(out, d, (a, b) -> {
            for (int i = a; i < b; i++) {
                SimdKernels.unpackGreyLevels(levels, rowIndices[from + i] * d, out.data(), i * d, d);
            }
        });
    }

    @Override
    public void fill(Tensor x, float value) {
        elements(x.size(), (from, to) -> java.util.Arrays.fill(x.data(), from, to, value));
    }

    @Override
    public void glu(Gate gate, Tensor z, Tensor out) {
        Checks.gluShapes("glu", z, out);
        rows(out, out.cols() * 4, (from, to) -> SimdKernels.glu(gate, z.data(), out.data(), out.cols(), from, to));
    }

    @Override
    public void gluBackward(Gate gate, Tensor z, Tensor dOut, float beta, Tensor dZ) {
        Checks.gluShapes("gluBackward", z, dOut);
        Checks.sameSize("gluBackward", z, dZ);
        rows(dOut, dOut.cols() * 8, (from, to) ->
                SimdKernels.gluBackward(gate, z.data(), dOut.data(), beta, dZ.data(), dOut.cols(), from, to));
    }

    @Override
    public void addGaussianNoise(Tensor x, float std, long seed, Tensor out) {
        Checks.sameSize("addGaussianNoise", x, out);
        int k1 = CounterRng.key1(seed), k2 = CounterRng.key2(seed);
        parallel.forRange(x.size(), 4 * Simd.LANES, 32L * x.size(), PARALLEL_MIN_ELEMENTS, (from, to) ->
                SimdKernels.addGaussianNoise(x.data(), std, k1, k2, out.data(), from, to));
    }

    // ------------------------------------------------------------------ reductions

    @Override
    public void sumRows(Tensor x, float beta, Tensor out) {
        Checks.rowVector("sumRows", x, out);
        int rows = x.rows(), cols = x.cols();
        parallel.forRange(cols, Simd.LANES, (long) rows * cols, PARALLEL_MIN_ELEMENTS, (from, to) ->
                SimdKernels.sumRows(x.data(), rows, cols, beta, out.data(), from, to));
    }

    @Override
    public double dot(Tensor a, Tensor b) {
        Checks.sameSize("dot", a, b);
        return reduce(a, (x, from, to) -> SimdKernels.dotDouble(a.data(), b.data(), from, to));
    }

    /** Sums fixed blocks in parallel, then the block sums in block order. */
    private double reduce(Tensor x, BlockSum f) {
        int n = x.size();
        int blocks = (n + REDUCE_BLOCK - 1) / REDUCE_BLOCK;
        double[] partial = new double[Math.max(blocks, 1)];
        parallel.forRange(blocks, 1, n, PARALLEL_MIN_ELEMENTS, (from, to) -> {
            for (int blk = from; blk < to; blk++) {
                partial[blk] = f.sum(x.data(), blk * REDUCE_BLOCK, Math.min(n, (blk + 1) * REDUCE_BLOCK));
            }
        });
        double s = 0;
        for (double p : partial) {
            s += p;
        }
        return s;
    }

    @FunctionalInterface
    private interface BlockSum {
        double sum(float[] x, int from, int to);
    }

    @Override
    public double sumSquares(Tensor x) {
        return reduce(x, SimdKernels::sumSquares);
    }

    @Override
    public double sum(Tensor x) {
        return reduce(x, SimdKernels::sum);
    }

    // ------------------------------------------------------------------ normalisation

    @Override
    public void rmsNorm(Tensor x, float eps, Tensor y, Tensor invRms) {
        Checks.sameSize("rmsNorm", x, y);
        int cols = x.cols();
        rows(x, 3 * cols, (from, to) -> {
            float[] xd = x.data(), yd = y.data(), r = invRms.data();
            for (int b = from; b < to; b++) {
                double ss = SimdKernels.sumSquares(xd, b * cols, (b + 1) * cols);
                float inv = (float) (1.0 / Math.sqrt(ss / cols + eps));
                r[b] = inv;
                SimdKernels.axpby(inv, xd, 0f, yd, b * cols, (b + 1) * cols);
            }
        });
    }

    @Override
    public void rmsNormBackward(Tensor y, Tensor invRms, Tensor dy, float beta, Tensor dx) {
        Checks.sameSize("rmsNormBackward", y, dy);
        Checks.sameSize("rmsNormBackward", y, dx);
        int cols = y.cols();
        rows(y, 4 * cols, (from, to) -> {
            float[] yd = y.data(), r = invRms.data(), g = dy.data(), out = dx.data();
            for (int b = from; b < to; b++) {
                float mean = SimdKernels.dot(g, b * cols, yd, b * cols, cols) / cols;
                SimdKernels.scaledCombination(r[b], g, -mean, yd, beta, out, b * cols, cols);
            }
        });
    }

    // ------------------------------------------------------------------ classification

    @Override
    public void softmaxRows(Tensor x, Tensor out) {
        Checks.sameSize("softmaxRows", x, out);
        int cols = x.cols();
        rows(x, 8 * cols, (from, to) -> {
            for (int b = from; b < to; b++) {
                int o = b * cols;
                float max = SimdKernels.max(x.data(), o, cols);
                double s = SimdKernels.expShifted(x.data(), o, cols, max, out.data());
                SimdKernels.scale(out.data(), o, cols, (float) (1.0 / s));
            }
        });
    }

    @Override
    public double softmaxCrossEntropy(Tensor logits, int[] labels, float scale, Tensor dLogits) {
        Checks.labels("softmaxCrossEntropy", logits, labels);
        if (dLogits != null) {
            Checks.sameSize("softmaxCrossEntropy", logits, dLogits);
        }
        int rows = logits.rows(), cols = logits.cols();
        for (int b = 0; b < rows; b++) {
            if (labels[b] < 0 || labels[b] >= cols) {
                throw new IllegalArgumentException("softmaxCrossEntropy: label " + labels[b] + " outside [0, " + cols + ")");
            }
        }
        double[] rowLoss = new double[rows];
        float[] x = logits.data();
        rows(logits, 8 * cols, (from, to) -> {
            for (int b = from; b < to; b++) {
                int o = b * cols;
                float max = SimdKernels.max(x, o, cols), target = x[o + labels[b]];
                // one pass of exp: e = exp(x − max) lands in the gradient buffer (which may be x
                // itself: element by element, each read before it is written), then is scaled by 1/Σe
                float[] d = dLogits == null ? null : dLogits.data();
                double sum = SimdKernels.expShifted(x, o, cols, max, d);
                rowLoss[b] = max + Math.log(sum) - target;
                if (d != null) {
                    SimdKernels.scale(d, o, cols, (float) (scale / sum));
                    d[o + labels[b]] -= scale;
                }
            }
        });
        double total = 0;
        for (double l : rowLoss) {
            total += l;
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
        float decay = 1 - s.lr() * s.weightDecay();
        float stepSize = s.lr() / s.biasCorrection1();
        float sqrtBc2 = (float) Math.sqrt(s.biasCorrection2());
        elements(param.size(), (from, to) -> SimdKernels.adamw(param.data(), grad.data(), gradScale, m.data(), v.data(),
                s.beta1(), s.beta2(), s.eps(), decay, stepSize, sqrtBc2, from, to));
    }

    // ------------------------------------------------------------------ sequences

    @Override
    public void gatherRows(Tensor table, int[] ids, Tensor out) {
        sequences.gatherRows(table, ids, out);
    }

    @Override
    public void scatterAddRows(Tensor dOut, int[] ids, Tensor dTable) {
        sequences.scatterAddRows(dOut, ids, dTable);
    }

    @Override
    public void ropeSplitHeads(Tensor qkv, int batch, int heads, Tensor cos, Tensor sin, Tensor q, Tensor k, Tensor v) {
        sequences.ropeSplitHeads(qkv, batch, heads, cos, sin, q, k, v);
    }

    @Override
    public void ropeSplitHeadsBackward(Tensor dq, Tensor dk, Tensor dv, int batch, int heads, Tensor cos, Tensor sin,
                                       float beta, Tensor dqkv) {
        sequences.ropeSplitHeadsBackward(dq, dk, dv, batch, heads, cos, sin, beta, dqkv);
    }

    @Override
    public void mergeHeads(Tensor z, int batch, int heads, Tensor out) {
        sequences.transposeHeads(z, batch, heads, out, false);
    }

    @Override
    public void splitHeads(Tensor x, int batch, int heads, Tensor out) {
        sequences.transposeHeads(x, batch, heads, out, true);
    }

    @Override
    public void causalSoftmax(Tensor scores, float scale, Tensor probs) {
        sequences.causalSoftmax(scores, scale, probs);
    }

    @Override
    public void causalSoftmaxBackward(Tensor probs, Tensor dProbs, float scale, Tensor dScores) {
        sequences.causalSoftmaxBackward(probs, dProbs, scale, dScores);
    }

    // ------------------------------------------------------------------ sparse autoencoders

    @Override
    public void topKRows(Tensor x, int k, Tensor out) {
        ScalarSparseKernels.checkTopK(x, k, out);
        int n = x.cols();
        // a selection per row (sort of a copy); rows are independent, so split them between threads
        parallel.forRange(x.rows(), 1, (long) x.rows() * n * 8, PARALLEL_MIN_ELEMENTS, (from, to) -> {
            float[] in = x.data(), o = out.data(), scratch = new float[n];
            for (int r = from; r < to; r++) {
                int off = r * n;
                float[] t = ScalarSparseKernels.threshold(in, off, n, k, scratch);
                int equalKept = (int) t[1];
                for (int j = 0; j < n; j++) {
                    float v = in[off + j];
                    boolean keep = v > t[0] || (v == t[0] && equalKept-- > 0);
                    o[off + j] = keep && v > 0 ? v : 0f;
                }
            }
        });
    }

    @Override
    public void topKBackward(Tensor out, Tensor dOut, float beta, Tensor dx) {
        Checks.sameSize("topKBackward", out, dOut);
        Checks.sameSize("topKBackward", out, dx);
        elements(out.size(), (from, to) -> {
            float[] o = out.data(), g = dOut.data(), d = dx.data();
            for (int i = from; i < to; i++) {
                float v = o[i] > 0 ? g[i] : 0f;
                d[i] = beta == 0 ? v : v + beta * d[i];
            }
        });
    }
}
