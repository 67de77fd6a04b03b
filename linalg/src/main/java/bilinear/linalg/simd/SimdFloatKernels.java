package bilinear.linalg.simd;

import bilinear.linalg.Parallel;
import bilinear.linalg.Triangle;
import bilinear.linalg.eigen.FloatKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatKernels} on the Vector API: products through {@link SimdGemm} (the training GEMM,
 * on the calling thread, a column-major product being the row-major product of the transposes),
 * and the memory-bound symmetric matrix-vector product, gemv, dot and axpy as vector loops laid
 * out like {@link SimdDoubleKernels}'s, with twice the lanes and half the bytes. Loaded
 * reflectively by {@link FloatKernels#best()}.
 */
public final class SimdFloatKernels implements FloatKernels {
    static final VectorSpecies<Float> S = Simd.FLOAT;
    static final int L = S.length();
    /** A GEMM of its own: never parallel here (the solvers spread whole matrices over threads). */
    private static final SimdGemm GEMM = new SimdGemm(new Parallel(1));

    public SimdFloatKernels() {
    }

    /** {@code FOLD_w} swaps the lanes w apart (lane i with lane {@code i ^ w}); null when w ≥ L. */
    private static final VectorShuffle<Float> FOLD_8 = fold(8), FOLD_4 = fold(4), FOLD_2 = fold(2), FOLD_1 = fold(1);

    private static VectorShuffle<Float> fold(int w) {
        return w < L ? VectorShuffle.fromOp(S, i -> i ^ w) : null;
    }

    /**
     * The lanes of v added in a fixed order, as a tree of lane-wise adds (the halves, then the
     * quarters, …), so every JIT tier gives the same bits ({@code reduceLanes(ADD)} does not
     * promise an order; see {@link SimdDoubleKernels#sum}). The folds are constants, unrolled:
     * picked from an array in a loop they cost a few hundred cycles per call.
     */
    static float sum(FloatVector v) {
        if (L > 8) {
            v = v.add(v.rearrange(FOLD_8));
        }
        if (L > 4) {
            v = v.add(v.rearrange(FOLD_4));
        }
        if (L > 2) {
            v = v.add(v.rearrange(FOLD_2));
        }
        if (L > 1) {
            v = v.add(v.rearrange(FOLD_1));
        }
        return v.lane(0);
    }

    @Override
    public String name() {
        return "simd-" + S.vectorBitSize();
    }

    /**
     * Column-major {@code C = alpha·op(A)·op(B) + beta·C} is row-major {@code Cᵀ = op(B)ᵀ·op(A)ᵀ}:
     * each stored column-major matrix read row-major is its transpose, so the operands swap places
     * and keep their transpose flags.
     */
    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        GEMM.gemm(Triangle.NONE, transB, transA, n, m, k, alpha, b, bOff, ldb, a, aOff, lda, beta, c, cOff, ldc, false);
    }

    /** {@code y = A·x}, four columns of the lower triangle at a time ({@link SimdDoubleKernels#symvLower}). */
    @Override
    public void symvLower(int n, float[] a, int aOff, int lda, float[] x, int xOff, float[] y, int yOff) {
        java.util.Arrays.fill(y, yOff, yOff + n, 0f);
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            symv4(j, n, a, aOff, lda, x, xOff, y, yOff);
        }
        for (; j < n; j++) {
            int col = aOff + j * lda;
            float xj = x[xOff + j];
            float t = a[col + j] * xj;
            for (int i = j + 1; i < n; i++) {
                y[yOff + i] += a[col + i] * xj;
                t += a[col + i] * x[xOff + i];
            }
            y[yOff + j] += t;
        }
    }

    /** Columns j … j+3: their 4×4 diagonal block by elements, then four FMAs into y and four running dot products per row. */
    private static void symv4(int j, int n, float[] a, int aOff, int lda, float[] x, int xOff, float[] y, int yOff) {
        int c0 = aOff + j * lda, c1 = c0 + lda, c2 = c1 + lda, c3 = c2 + lda;
        float x0 = x[xOff + j], x1 = x[xOff + j + 1], x2 = x[xOff + j + 2], x3 = x[xOff + j + 3];
        float t0 = a[c0 + j] * x0 + a[c0 + j + 1] * x1 + a[c0 + j + 2] * x2 + a[c0 + j + 3] * x3;
        float t1 = a[c0 + j + 1] * x0 + a[c1 + j + 1] * x1 + a[c1 + j + 2] * x2 + a[c1 + j + 3] * x3;
        float t2 = a[c0 + j + 2] * x0 + a[c1 + j + 2] * x1 + a[c2 + j + 2] * x2 + a[c2 + j + 3] * x3;
        float t3 = a[c0 + j + 3] * x0 + a[c1 + j + 3] * x1 + a[c2 + j + 3] * x2 + a[c3 + j + 3] * x3;
        int i = j + 4;
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S), s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        FloatVector bx0 = FloatVector.broadcast(S, x0), bx1 = FloatVector.broadcast(S, x1);
        FloatVector bx2 = FloatVector.broadcast(S, x2), bx3 = FloatVector.broadcast(S, x3);
        for (int end = vectorEnd(i, n, a, c3, x, xOff, y, yOff); i < end; i += L) {
            VectorMask<Float> in = S.indexInRange(i, end);
            FloatVector a0 = FloatVector.fromArray(S, a, c0 + i, in), a1 = FloatVector.fromArray(S, a, c1 + i, in);
            FloatVector a2 = FloatVector.fromArray(S, a, c2 + i, in), a3 = FloatVector.fromArray(S, a, c3 + i, in);
            FloatVector xi = FloatVector.fromArray(S, x, xOff + i, in);
            FloatVector yi = FloatVector.fromArray(S, y, yOff + i, in);
            yi = a0.fma(bx0, yi);
            yi = a1.fma(bx1, yi);
            yi = a2.fma(bx2, yi);
            yi = a3.fma(bx3, yi);
            yi.intoArray(y, yOff + i, in);
            s0 = a0.fma(xi, s0);
            s1 = a1.fma(xi, s1);
            s2 = a2.fma(xi, s2);
            s3 = a3.fma(xi, s3);
        }
        for (; i < n; i++) {
            float xi = x[xOff + i];
            y[yOff + i] += a[c0 + i] * x0 + a[c1 + i] * x1 + a[c2 + i] * x2 + a[c3 + i] * x3;
            t0 += a[c0 + i] * xi;
            t1 += a[c1 + i] * xi;
            t2 += a[c2 + i] * xi;
            t3 += a[c3 + i] * xi;
        }
        y[yOff + j] += t0 + sum(s0);
        y[yOff + j + 1] += t1 + sum(s1);
        y[yOff + j + 2] += t2 + sum(s2);
        y[yOff + j + 3] += t3 + sum(s3);
    }

    /**
     * Where the vector loop over elements {@code [i, n)} of a column ({@code a[col + i…]}) and of
     * x and y ends: at n, its last vector masked, when that vector's whole width lies inside all
     * three arrays, else at the last full vector (a scalar tail does the rest). With 16 lanes a
     * scalar tail averages 7.5 elements, which at the sizes of a reduction's last columns is as
     * much as the vector part; a masked access that reaches past an array's end takes the Vector
     * API's slow path, which costs far more.
     */
    static int vectorEnd(int i, int n, float[] a, int col, float[] x, int xOff, float[] y, int yOff) {
        int last = i + (n - i + L - 1) / L * L;
        boolean fits = col + last <= a.length && xOff + last <= x.length && yOff + last <= y.length;
        return fits ? n : i + S.loopBound(n - i);
    }

    /** Four columns at a time: y is loaded and stored once per four columns. */
    @Override
    public void gemvN(int m, int n, float alpha, float[] a, int aOff, int lda, float[] x, int xOff, float[] y, int yOff) {
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            int c0 = aOff + j * lda, c1 = c0 + lda, c2 = c1 + lda, c3 = c2 + lda;
            float x0 = alpha * x[xOff + j], x1 = alpha * x[xOff + j + 1], x2 = alpha * x[xOff + j + 2], x3 = alpha * x[xOff + j + 3];
            FloatVector b0 = FloatVector.broadcast(S, x0), b1 = FloatVector.broadcast(S, x1);
            FloatVector b2 = FloatVector.broadcast(S, x2), b3 = FloatVector.broadcast(S, x3);
            int i = 0;
            for (int bound = S.loopBound(m); i < bound; i += L) {
                FloatVector yi = FloatVector.fromArray(S, y, yOff + i);
                yi = FloatVector.fromArray(S, a, c0 + i).fma(b0, yi);
                yi = FloatVector.fromArray(S, a, c1 + i).fma(b1, yi);
                yi = FloatVector.fromArray(S, a, c2 + i).fma(b2, yi);
                yi = FloatVector.fromArray(S, a, c3 + i).fma(b3, yi);
                yi.intoArray(y, yOff + i);
            }
            for (; i < m; i++) {
                y[yOff + i] += a[c0 + i] * x0 + a[c1 + i] * x1 + a[c2 + i] * x2 + a[c3 + i] * x3;
            }
        }
        for (; j < n; j++) {
            axpy(m, alpha * x[xOff + j], a, aOff + j * lda, y, yOff);
        }
    }

    /** Four columns at a time: x is loaded once per four dot products. */
    @Override
    public void gemvT(int m, int n, float[] a, int aOff, int lda, float[] x, int xOff, float[] y, int yOff) {
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            int c0 = aOff + j * lda, c1 = c0 + lda, c2 = c1 + lda, c3 = c2 + lda;
            FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S), s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
            int i = 0;
            for (int bound = S.loopBound(m); i < bound; i += L) {
                FloatVector xi = FloatVector.fromArray(S, x, xOff + i);
                s0 = FloatVector.fromArray(S, a, c0 + i).fma(xi, s0);
                s1 = FloatVector.fromArray(S, a, c1 + i).fma(xi, s1);
                s2 = FloatVector.fromArray(S, a, c2 + i).fma(xi, s2);
                s3 = FloatVector.fromArray(S, a, c3 + i).fma(xi, s3);
            }
            float t0 = sum(s0), t1 = sum(s1), t2 = sum(s2), t3 = sum(s3);
            for (; i < m; i++) {
                float xi = x[xOff + i];
                t0 += a[c0 + i] * xi;
                t1 += a[c1 + i] * xi;
                t2 += a[c2 + i] * xi;
                t3 += a[c3 + i] * xi;
            }
            y[yOff + j] = t0;
            y[yOff + j + 1] = t1;
            y[yOff + j + 2] = t2;
            y[yOff + j + 3] = t3;
        }
        for (; j < n; j++) {
            y[yOff + j] = dot(m, a, aOff + j * lda, x, xOff);
        }
    }

    @Override
    public float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
        for (int bound = 2 * L * (n / (2 * L)); i < bound; i += 2 * L) {
            s0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), s0);
            s1 = FloatVector.fromArray(S, x, xOff + i + L).fma(FloatVector.fromArray(S, y, yOff + i + L), s1);
        }
        float s = sum(s0.add(s1));
        for (; i < n; i++) {
            s += x[xOff + i] * y[yOff + i];
        }
        return s;
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        FloatVector va = FloatVector.broadcast(S, alpha);
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).fma(va, FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }
}
