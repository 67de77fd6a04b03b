package bilinear.bench;

import bilinear.linalg.Backend;
import bilinear.linalg.Gate;
import bilinear.linalg.Tensor;
import bilinear.linalg.Triangle;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link Backend} that forwards every call to another one and adds up the wall time spent in
 * each kernel (GEMMs keyed by shape and transpose flags, so each gets its own GFLOP/s). Used by
 * {@link StepProfile} to say where a training step's time goes; never by the engine itself.
 */
final class TimedBackend implements Backend {
    /** Accumulated calls, nanoseconds and (for products) flops of one kernel. */
    static final class Entry {
        long calls;
        long nanos;
        double flops;
    }

    private final Backend inner;
    private final Map<String, Entry> entries = new TreeMap<>();

    TimedBackend(Backend inner) {
        this.inner = inner;
    }

    Map<String, Entry> entries() {
        return entries;
    }

    void reset() {
        entries.clear();
    }

    private void add(String key, long t0, double flops) {
        Entry e = entries.computeIfAbsent(key, k -> new Entry());
        e.calls++;
        e.nanos += System.nanoTime() - t0;
        e.flops += flops;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public String describe() {
        return inner.describe();
    }

    @Override
    public int threads() {
        return inner.threads();
    }

    @Override
    public WarmUpRounds trainingWarmUp() {
        return inner.trainingWarmUp();
    }

    @Override
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        long t0 = System.nanoTime();
        inner.gemm(transA, transB, alpha, a, b, beta, c);
        int m = c.rows(), n = c.cols(), k = transA ? a.rows() : a.cols();
        add(String.format("gemm %dx%dx%d:%s%s", m, n, k, transA ? "T" : "N", transB ? "T" : "N"), t0, 2.0 * m * n * k);
    }

    @Override
    public void gemmBatched(Triangle shape, boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta,
                            Tensor c) {
        long t0 = System.nanoTime();
        inner.gemmBatched(shape, transA, transB, alpha, a, b, beta, c);
        int g = c.dim(0), m = c.dim(1), n = c.dim(2), k = transA ? a.dim(1) : a.dim(2);
        String structure = shape == Triangle.NONE ? "" : " " + shape.name().toLowerCase(java.util.Locale.ROOT);
        add(String.format("gemmBatched %dx(%dx%dx%d):%s%s%s", g, m, n, k, transA ? "T" : "N", transB ? "T" : "N",
                structure), t0, 2.0 * g * shape.multiplyAdds(m, n, k));
    }

    @Override
    public void axpby(float alpha, Tensor x, float beta, Tensor y) {
        long t0 = System.nanoTime();
        inner.axpby(alpha, x, beta, y);
        add("axpby", t0, 0);
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        long t0 = System.nanoTime();
        inner.add(a, b, out);
        add("add", t0, 0);
    }

    @Override
    public void addRowVector(Tensor x, Tensor v) {
        long t0 = System.nanoTime();
        inner.addRowVector(x, v);
        add("addRowVector", t0, 0);
    }

    @Override
    public void addScalar(Tensor x, float c) {
        long t0 = System.nanoTime();
        inner.addScalar(x, c);
        add("addScalar", t0, 0);
    }

    @Override
    public void unpackGreyLevels(byte[] levels, int[] rows, int from, Tensor out) {
        long t0 = System.nanoTime();
        inner.unpackGreyLevels(levels, rows, from, out);
        add("unpackGreyLevels", t0, 0);
    }

    @Override
    public void fill(Tensor x, float value) {
        long t0 = System.nanoTime();
        inner.fill(x, value);
        add("fill", t0, 0);
    }

    @Override
    public void glu(Gate gate, Tensor z, Tensor out) {
        long t0 = System.nanoTime();
        inner.glu(gate, z, out);
        add("glu", t0, 0);
    }

    @Override
    public void gluBackward(Gate gate, Tensor z, Tensor dOut, float beta, Tensor dZ) {
        long t0 = System.nanoTime();
        inner.gluBackward(gate, z, dOut, beta, dZ);
        add("gluBackward", t0, 0);
    }

    @Override
    public void addGaussianNoise(Tensor x, float std, long seed, Tensor out) {
        long t0 = System.nanoTime();
        inner.addGaussianNoise(x, std, seed, out);
        add("addGaussianNoise", t0, 0);
    }

    @Override
    public void sumRows(Tensor x, float beta, Tensor out) {
        long t0 = System.nanoTime();
        inner.sumRows(x, beta, out);
        add("sumRows", t0, 0);
    }

    @Override
    public double sumSquares(Tensor x) {
        long t0 = System.nanoTime();
        double r = inner.sumSquares(x);
        add("sumSquares", t0, 0);
        return r;
    }

    @Override
    public double sum(Tensor x) {
        long t0 = System.nanoTime();
        double r = inner.sum(x);
        add("sum", t0, 0);
        return r;
    }

    @Override
    public double dot(Tensor a, Tensor b) {
        long t0 = System.nanoTime();
        double r = inner.dot(a, b);
        add("dot", t0, 0);
        return r;
    }

    @Override
    public void rmsNorm(Tensor x, float eps, Tensor y, Tensor invRms) {
        long t0 = System.nanoTime();
        inner.rmsNorm(x, eps, y, invRms);
        add("rmsNorm", t0, 0);
    }

    @Override
    public void rmsNormBackward(Tensor y, Tensor invRms, Tensor dy, float beta, Tensor dx) {
        long t0 = System.nanoTime();
        inner.rmsNormBackward(y, invRms, dy, beta, dx);
        add("rmsNormBackward", t0, 0);
    }

    @Override
    public void softmaxRows(Tensor x, Tensor out) {
        long t0 = System.nanoTime();
        inner.softmaxRows(x, out);
        add("softmaxRows", t0, 0);
    }

    @Override
    public double softmaxCrossEntropy(Tensor logits, int[] labels, float scale, Tensor dLogits) {
        long t0 = System.nanoTime();
        double r = inner.softmaxCrossEntropy(logits, labels, scale, dLogits);
        add("softmaxCrossEntropy", t0, 0);
        return r;
    }

    @Override
    public void argmaxRows(Tensor x, int[] out) {
        long t0 = System.nanoTime();
        inner.argmaxRows(x, out);
        add("argmaxRows", t0, 0);
    }

    @Override
    public void adamw(Tensor param, Tensor grad, float gradScale, Tensor m, Tensor v, AdamWStep step) {
        long t0 = System.nanoTime();
        inner.adamw(param, grad, gradScale, m, v, step);
        add("adamw", t0, 0);
    }

    // ------------------------------------------------------------------ sequences and SAEs

    private void timed(String key, Runnable call) {
        long t0 = System.nanoTime();
        call.run();
        add(key, t0, 0);
    }

    @Override
    public void gatherRows(Tensor table, int[] ids, Tensor out) {
        timed("gatherRows", () -> inner.gatherRows(table, ids, out));
    }

    @Override
    public void scatterAddRows(Tensor dOut, int[] ids, Tensor dTable) {
        timed("scatterAddRows", () -> inner.scatterAddRows(dOut, ids, dTable));
    }

    @Override
    public void ropeSplitHeads(Tensor qkv, int batch, int heads, Tensor cos, Tensor sin, Tensor q, Tensor k, Tensor v) {
        timed("ropeSplitHeads", () -> inner.ropeSplitHeads(qkv, batch, heads, cos, sin, q, k, v));
    }

    @Override
    public void ropeSplitHeadsBackward(Tensor dq, Tensor dk, Tensor dv, int batch, int heads, Tensor cos, Tensor sin,
                                       float beta, Tensor dqkv) {
        timed("ropeSplitHeadsBackward", () -> inner.ropeSplitHeadsBackward(dq, dk, dv, batch, heads, cos, sin, beta, dqkv));
    }

    @Override
    public void mergeHeads(Tensor z, int batch, int heads, Tensor out) {
        timed("mergeHeads", () -> inner.mergeHeads(z, batch, heads, out));
    }

    @Override
    public void splitHeads(Tensor x, int batch, int heads, Tensor out) {
        timed("splitHeads", () -> inner.splitHeads(x, batch, heads, out));
    }

    @Override
    public void causalSoftmax(Tensor scores, float scale, Tensor probs) {
        timed("causalSoftmax", () -> inner.causalSoftmax(scores, scale, probs));
    }

    @Override
    public void causalSoftmaxBackward(Tensor probs, Tensor dProbs, float scale, Tensor dScores) {
        timed("causalSoftmaxBackward", () -> inner.causalSoftmaxBackward(probs, dProbs, scale, dScores));
    }

    @Override
    public void topKRows(Tensor x, int k, Tensor out) {
        timed("topKRows", () -> inner.topKRows(x, k, out));
    }

    @Override
    public void topKBackward(Tensor out, Tensor dOut, float beta, Tensor dx) {
        timed("topKBackward", () -> inner.topKBackward(out, dOut, beta, dx));
    }
}
