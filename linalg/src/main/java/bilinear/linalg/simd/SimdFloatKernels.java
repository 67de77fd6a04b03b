package bilinear.linalg.simd;

import bilinear.linalg.Parallel;
import bilinear.linalg.Triangle;
import bilinear.linalg.eigen.FloatKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatKernels} on the Vector API: products through {@link SimdGemm} (the training GEMM,
 * on the calling thread, a column-major product being the row-major product of the transposes),
 * and the symmetric matrix-vector product, gemv, dot and axpy as vector loops laid
 * out like {@link SimdDoubleKernels}'s, with twice the lanes and half the bytes. Loaded
 * reflectively by {@link FloatKernels#best()}.
 */
public final class SimdFloatKernels implements FloatKernels {
    static final VectorSpecies<Float> S = Simd.FLOAT;
    static final int L = S.length();
    /** A GEMM of its own: never parallel here (the solvers spread whole matrices over threads). */
    private static final SimdGemm GEMM = new SimdGemm(new Parallel(1));

    /**
     * L zeros, then L ones: from offset {@code rest} on, a vector whose last {@code rest} lanes
     * are 1 and the others 0. The tails of the matrix-vector products are done as one vector
     * weighted by it rather than by masked loads and stores, which C2 compiled here into
     * allocations of boxed vectors on every call, or by up to L − 1 scalar rows.
     */
    private static final float[] TAIL_WEIGHTS = new float[2 * L];

    static {
        java.util.Arrays.fill(TAIL_WEIGHTS, L, 2 * L, 1f);
    }

    public SimdFloatKernels() {
    }

    /**
     * The lanes of v added pairwise in a fixed order, so every JIT tier gives the same bits
     * ({@code reduceLanes(ADD)} does not promise an order; see {@link SimdDoubleKernels#sum}):
     * stored into {@code scratch[at…]}, then summed as a scalar tree. On a 2-core Xeon this ran
     * the symmetric matrix-vector product 25 % faster than sixteen lane extracts, and a tree of
     * {@code rearrange}s was not intrinsified by C2 (every call allocated its vectors).
     */
    static float sum(FloatVector v, float[] scratch, int at) {
        v.intoArray(scratch, at);
        float[] b = scratch;
        int o = at;
        if (L == 16) {
            return (((b[o] + b[o + 1]) + (b[o + 2] + b[o + 3])) + ((b[o + 4] + b[o + 5]) + (b[o + 6] + b[o + 7])))
                    + (((b[o + 8] + b[o + 9]) + (b[o + 10] + b[o + 11])) + ((b[o + 12] + b[o + 13]) + (b[o + 14] + b[o + 15])));
        }
        for (int width = L / 2; width >= 1; width /= 2) {          // the same tree, level by level, in place
            for (int q = 0; q < width; q++) {
                b[o + q] = b[o + 2 * q] + b[o + 2 * q + 1];
            }
        }
        return b[o];
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
        float[] scratch = new float[4 * L];
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            symv4(j, n, a, aOff, lda, x, xOff, y, yOff, scratch);
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
    private static void symv4(int j, int n, float[] a, int aOff, int lda, float[] x, int xOff, float[] y, int yOff,
                              float[] scratch) {
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
        for (int bound = i + S.loopBound(n - i); i < bound; i += L) {
            FloatVector a0 = FloatVector.fromArray(S, a, c0 + i), a1 = FloatVector.fromArray(S, a, c1 + i);
            FloatVector a2 = FloatVector.fromArray(S, a, c2 + i), a3 = FloatVector.fromArray(S, a, c3 + i);
            FloatVector xi = FloatVector.fromArray(S, x, xOff + i);
            FloatVector yi = FloatVector.fromArray(S, y, yOff + i);
            yi = a0.fma(bx0, yi);
            yi = a1.fma(bx1, yi);
            yi = a2.fma(bx2, yi);
            yi = a3.fma(bx3, yi);
            yi.intoArray(y, yOff + i);
            s0 = a0.fma(xi, s0);
            s1 = a1.fma(xi, s1);
            s2 = a2.fma(xi, s2);
            s3 = a3.fma(xi, s3);
        }
        int rest = n - i;
        if (rest > 0 && n - L >= j + 4) {
            // The last rest rows as the column's last full vector, whose first L − rest rows the
            // loop has done: their lanes of A are multiplied by 0, so they add exactly nothing.
            int r = n - L;
            FloatVector keep = FloatVector.fromArray(S, TAIL_WEIGHTS, rest);
            FloatVector a0 = FloatVector.fromArray(S, a, c0 + r).mul(keep), a1 = FloatVector.fromArray(S, a, c1 + r).mul(keep);
            FloatVector a2 = FloatVector.fromArray(S, a, c2 + r).mul(keep), a3 = FloatVector.fromArray(S, a, c3 + r).mul(keep);
            FloatVector xi = FloatVector.fromArray(S, x, xOff + r);
            FloatVector yi = FloatVector.fromArray(S, y, yOff + r);
            yi = a0.fma(bx0, yi);
            yi = a1.fma(bx1, yi);
            yi = a2.fma(bx2, yi);
            yi = a3.fma(bx3, yi);
            yi.intoArray(y, yOff + r);
            s0 = a0.fma(xi, s0);
            s1 = a1.fma(xi, s1);
            s2 = a2.fma(xi, s2);
            s3 = a3.fma(xi, s3);
            i = n;
        }
        for (; i < n; i++) {
            float xi = x[xOff + i];
            y[yOff + i] += a[c0 + i] * x0 + a[c1 + i] * x1 + a[c2 + i] * x2 + a[c3 + i] * x3;
            t0 += a[c0 + i] * xi;
            t1 += a[c1 + i] * xi;
            t2 += a[c2 + i] * xi;
            t3 += a[c3 + i] * xi;
        }
        y[yOff + j] += t0 + sum(s0, scratch, 0);
        y[yOff + j + 1] += t1 + sum(s1, scratch, L);
        y[yOff + j + 2] += t2 + sum(s2, scratch, 2 * L);
        y[yOff + j + 3] += t3 + sum(s3, scratch, 3 * L);
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
            int rest = m - i;
            if (rest > 0 && m >= L) {                     // the last full vector, the rows already done weighted by 0
                int r = m - L;
                FloatVector delta = FloatVector.fromArray(S, a, c0 + r).mul(b0);
                delta = FloatVector.fromArray(S, a, c1 + r).fma(b1, delta);
                delta = FloatVector.fromArray(S, a, c2 + r).fma(b2, delta);
                delta = FloatVector.fromArray(S, a, c3 + r).fma(b3, delta);
                FloatVector keep = FloatVector.fromArray(S, TAIL_WEIGHTS, rest);
                delta.fma(keep, FloatVector.fromArray(S, y, yOff + r)).intoArray(y, yOff + r);
                i = m;
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
        float[] scratch = new float[4 * L];
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
            int rest = m - i;
            if (rest > 0 && m >= L) {                     // the last full vector, x weighted by 0 on the rows already done
                int r = m - L;
                FloatVector xk = FloatVector.fromArray(S, x, xOff + r).mul(FloatVector.fromArray(S, TAIL_WEIGHTS, rest));
                s0 = FloatVector.fromArray(S, a, c0 + r).fma(xk, s0);
                s1 = FloatVector.fromArray(S, a, c1 + r).fma(xk, s1);
                s2 = FloatVector.fromArray(S, a, c2 + r).fma(xk, s2);
                s3 = FloatVector.fromArray(S, a, c3 + r).fma(xk, s3);
                i = m;
            }
            float t0 = sum(s0, scratch, 0), t1 = sum(s1, scratch, L), t2 = sum(s2, scratch, 2 * L), t3 = sum(s3, scratch, 3 * L);
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
        float s = sum(s0.add(s1), new float[L], 0);
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
