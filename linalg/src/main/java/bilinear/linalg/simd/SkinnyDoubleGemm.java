package bilinear.linalg.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Double-precision products with at most {@link #MAX_N} columns of C and B not transposed, the
 * shapes of the Krylov eigensolver ({@code A·V}, {@code V·P} and {@code Vᵀ·W} with blocks of 4
 * vectors), column-major like {@link DoubleGemm}. Each operand is read down its columns, the
 * direction it is contiguous in:
 *
 * <pre>
 *   A not transposed:  C(:, j) += Σ_p A(:, p)·(alpha·B(p, j))      two columns of A per pass down C
 *   A transposed:      C(i, j)  = alpha·A(:, i)·B(:, j) + beta·C    two columns of A against B's four
 * </pre>
 *
 * <p>Why not the blocked GEMM: with so few columns each panel of A is used once or twice, so
 * packing it costs as much as the product, and reading it in place down a column-major A's rows
 * (an MR-row strip, one column after another) touches a new page at every step of p, where no
 * hardware prefetcher follows: on a Zen 3 core the Krylov solver's {@code 512×4×512} products
 * took about 0.2 ms each in a profile, 10 GFLOP/s. Down the columns the reads are sequential:
 * top-16 of the ten class matrices of a d = 512 model went from 108–114 ms to 74–87 ms.
 */
final class SkinnyDoubleGemm {
    private SkinnyDoubleGemm() {
    }

    static final VectorSpecies<Double> S = DoubleGemm.S;
    static final int L = S.length();
    /** The widest C this path takes. */
    static final int MAX_N = 4;

    /** {@code C = alpha·op(A)·B + beta·C} for n ≤ MAX_N; op(A) is m×k, B k×n, all column-major. */
    static void gemm(boolean transA, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                     double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        if (transA && n == MAX_N) {
            dotColumns4(m, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        if (transA) {
            for (int j = 0; j < n; j++) {
                dotColumns(m, k, alpha, a, aOff, lda, b, bOff + j * ldb, beta, c, cOff + j * ldc);
            }
            return;
        }
        DoubleGemm.scaleC(m, n, beta, c, cOff, ldc);
        if (n == MAX_N) {
            sweep4(m, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        } else {
            for (int j = 0; j < n; j++) {
                sweep1(m, k, alpha, a, aOff, lda, b, bOff + j * ldb, c, cOff + j * ldc);
            }
        }
    }

    /**
     * {@code C(:, 0:4) += alpha·A·B(:, 0:4)}: per pair of columns p, p+1 of A, eight broadcasts
     * of alpha·B held in registers, and down the rows two A vectors, four C vectors loaded, eight
     * FMAs, four stored (C, m×4, stays in L1).
     */
    private static void sweep4(int m, int k, double alpha, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                               double[] c, int cOff, int ldc) {
        int c0 = cOff, c1 = cOff + ldc, c2 = cOff + 2 * ldc, c3 = cOff + 3 * ldc;
        int b0 = bOff, b1 = bOff + ldb, b2 = bOff + 2 * ldb, b3 = bOff + 3 * ldb;
        int vectorRows = m / L * L;
        int p = 0;
        for (; p + 1 < k; p += 2) {
            int a0 = aOff + p * lda, a1 = a0 + lda;
            double x00 = alpha * b[b0 + p], x01 = alpha * b[b1 + p], x02 = alpha * b[b2 + p], x03 = alpha * b[b3 + p];
            double x10 = alpha * b[b0 + p + 1], x11 = alpha * b[b1 + p + 1], x12 = alpha * b[b2 + p + 1], x13 = alpha * b[b3 + p + 1];
            DoubleVector y00 = DoubleVector.broadcast(S, x00), y01 = DoubleVector.broadcast(S, x01);
            DoubleVector y02 = DoubleVector.broadcast(S, x02), y03 = DoubleVector.broadcast(S, x03);
            DoubleVector y10 = DoubleVector.broadcast(S, x10), y11 = DoubleVector.broadcast(S, x11);
            DoubleVector y12 = DoubleVector.broadcast(S, x12), y13 = DoubleVector.broadcast(S, x13);
            for (int i = 0; i < vectorRows; i += L) {
                DoubleVector u = DoubleVector.fromArray(S, a, a0 + i), w = DoubleVector.fromArray(S, a, a1 + i);
                w.fma(y10, u.fma(y00, DoubleVector.fromArray(S, c, c0 + i))).intoArray(c, c0 + i);
                w.fma(y11, u.fma(y01, DoubleVector.fromArray(S, c, c1 + i))).intoArray(c, c1 + i);
                w.fma(y12, u.fma(y02, DoubleVector.fromArray(S, c, c2 + i))).intoArray(c, c2 + i);
                w.fma(y13, u.fma(y03, DoubleVector.fromArray(S, c, c3 + i))).intoArray(c, c3 + i);
            }
            for (int i = vectorRows; i < m; i++) {
                double u = a[a0 + i], w = a[a1 + i];
                c[c0 + i] = Math.fma(w, x10, Math.fma(u, x00, c[c0 + i]));
                c[c1 + i] = Math.fma(w, x11, Math.fma(u, x01, c[c1 + i]));
                c[c2 + i] = Math.fma(w, x12, Math.fma(u, x02, c[c2 + i]));
                c[c3 + i] = Math.fma(w, x13, Math.fma(u, x03, c[c3 + i]));
            }
        }
        for (; p < k; p++) {
            for (int j = 0; j < MAX_N; j++) {
                axpy(m, alpha * b[bOff + j * ldb + p], a, aOff + p * lda, c, cOff + j * ldc);
            }
        }
    }

    /** {@code C(:, j) += alpha·A·B(:, j)} for one column, two columns of A per pass. */
    private static void sweep1(int m, int k, double alpha, double[] a, int aOff, int lda, double[] b, int bCol,
                               double[] c, int cCol) {
        int vectorRows = m / L * L;
        int p = 0;
        for (; p + 1 < k; p += 2) {
            int a0 = aOff + p * lda, a1 = a0 + lda;
            double x0 = alpha * b[bCol + p], x1 = alpha * b[bCol + p + 1];
            DoubleVector y0 = DoubleVector.broadcast(S, x0), y1 = DoubleVector.broadcast(S, x1);
            for (int i = 0; i < vectorRows; i += L) {
                DoubleVector u = DoubleVector.fromArray(S, a, a0 + i), w = DoubleVector.fromArray(S, a, a1 + i);
                w.fma(y1, u.fma(y0, DoubleVector.fromArray(S, c, cCol + i))).intoArray(c, cCol + i);
            }
            for (int i = vectorRows; i < m; i++) {
                c[cCol + i] = Math.fma(a[a1 + i], x1, Math.fma(a[a0 + i], x0, c[cCol + i]));
            }
        }
        if (p < k) {
            axpy(m, alpha * b[bCol + p], a, aOff + p * lda, c, cCol);
        }
    }

    /** {@code y(0:m) += x·a(0:m)}. */
    private static void axpy(int m, double x, double[] a, int aCol, double[] y, int yCol) {
        int vectorRows = m / L * L;
        DoubleVector vx = DoubleVector.broadcast(S, x);
        for (int i = 0; i < vectorRows; i += L) {
            DoubleVector.fromArray(S, a, aCol + i).fma(vx, DoubleVector.fromArray(S, y, yCol + i)).intoArray(y, yCol + i);
        }
        for (int i = vectorRows; i < m; i++) {
            y[yCol + i] = Math.fma(a[aCol + i], x, y[yCol + i]);
        }
    }

    /**
     * {@code C(i, j) = alpha·A(:, i)·B(:, j) + beta·C(i, j)} for all i (op(A) = Aᵀ, A's column i
     * contiguous over depth), one column j of C: two columns of A at a time, each dot product in
     * two vector accumulators (four independent FMA chains) reduced at the end.
     */
    private static void dotColumns(int m, int k, double alpha, double[] a, int aOff, int lda, double[] b, int bCol,
                                   double beta, double[] c, int cCol) {
        int i = 0;
        for (; i + 1 < m; i += 2) {
            int a0 = aOff + i * lda, a1 = a0 + lda;
            DoubleVector s0 = DoubleVector.zero(S), t0 = DoubleVector.zero(S);
            DoubleVector s1 = DoubleVector.zero(S), t1 = DoubleVector.zero(S);
            int p = 0;
            for (; p + 2 * L <= k; p += 2 * L) {
                DoubleVector x = DoubleVector.fromArray(S, b, bCol + p), y = DoubleVector.fromArray(S, b, bCol + p + L);
                s0 = DoubleVector.fromArray(S, a, a0 + p).fma(x, s0);
                t0 = DoubleVector.fromArray(S, a, a0 + p + L).fma(y, t0);
                s1 = DoubleVector.fromArray(S, a, a1 + p).fma(x, s1);
                t1 = DoubleVector.fromArray(S, a, a1 + p + L).fma(y, t1);
            }
            double d0 = SimdDoubleKernels.sum(s0.add(t0));
            double d1 = SimdDoubleKernels.sum(s1.add(t1));
            for (; p < k; p++) {
                d0 = Math.fma(a[a0 + p], b[bCol + p], d0);
                d1 = Math.fma(a[a1 + p], b[bCol + p], d1);
            }
            store(alpha * d0, beta, c, cCol + i);
            store(alpha * d1, beta, c, cCol + i + 1);
        }
        if (i < m) {
            int a0 = aOff + i * lda;
            DoubleVector s0 = DoubleVector.zero(S);
            int p = 0;
            for (; p + L <= k; p += L) {
                s0 = DoubleVector.fromArray(S, a, a0 + p).fma(DoubleVector.fromArray(S, b, bCol + p), s0);
            }
            double d0 = SimdDoubleKernels.sum(s0);
            for (; p < k; p++) {
                d0 = Math.fma(a[a0 + p], b[bCol + p], d0);
            }
            store(alpha * d0, beta, c, cCol + i);
        }
    }

    /**
     * {@link #dotColumns} for all four columns of C at once, so that A is read once: two columns
     * of A against four of B, eight accumulators (eight FMA chains), six loads per eight FMAs.
     */
    private static void dotColumns4(int m, int k, double alpha, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                    double beta, double[] c, int cOff, int ldc) {
        int b0 = bOff, b1 = bOff + ldb, b2 = bOff + 2 * ldb, b3 = bOff + 3 * ldb;
        int vectorDepth = k / L * L;
        int i = 0;
        for (; i + 1 < m; i += 2) {
            int a0 = aOff + i * lda, a1 = a0 + lda;
            DoubleVector s00 = DoubleVector.zero(S), s01 = DoubleVector.zero(S), s02 = DoubleVector.zero(S), s03 = DoubleVector.zero(S);
            DoubleVector s10 = DoubleVector.zero(S), s11 = DoubleVector.zero(S), s12 = DoubleVector.zero(S), s13 = DoubleVector.zero(S);
            for (int p = 0; p < vectorDepth; p += L) {
                DoubleVector u = DoubleVector.fromArray(S, a, a0 + p), w = DoubleVector.fromArray(S, a, a1 + p);
                DoubleVector x = DoubleVector.fromArray(S, b, b0 + p);
                s00 = u.fma(x, s00);
                s10 = w.fma(x, s10);
                x = DoubleVector.fromArray(S, b, b1 + p);
                s01 = u.fma(x, s01);
                s11 = w.fma(x, s11);
                x = DoubleVector.fromArray(S, b, b2 + p);
                s02 = u.fma(x, s02);
                s12 = w.fma(x, s12);
                x = DoubleVector.fromArray(S, b, b3 + p);
                s03 = u.fma(x, s03);
                s13 = w.fma(x, s13);
            }
            // Lanes summed in a fixed order (reduceLanes(ADD) would make results depend on the JIT).
            double d00 = SimdDoubleKernels.sum(s00), d01 = SimdDoubleKernels.sum(s01);
            double d02 = SimdDoubleKernels.sum(s02), d03 = SimdDoubleKernels.sum(s03);
            double d10 = SimdDoubleKernels.sum(s10), d11 = SimdDoubleKernels.sum(s11);
            double d12 = SimdDoubleKernels.sum(s12), d13 = SimdDoubleKernels.sum(s13);
            for (int p = vectorDepth; p < k; p++) {
                double u = a[a0 + p], w = a[a1 + p], x0 = b[b0 + p], x1 = b[b1 + p], x2 = b[b2 + p], x3 = b[b3 + p];
                d00 = Math.fma(u, x0, d00);
                d01 = Math.fma(u, x1, d01);
                d02 = Math.fma(u, x2, d02);
                d03 = Math.fma(u, x3, d03);
                d10 = Math.fma(w, x0, d10);
                d11 = Math.fma(w, x1, d11);
                d12 = Math.fma(w, x2, d12);
                d13 = Math.fma(w, x3, d13);
            }
            int c0 = cOff + i, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
            store(alpha * d00, beta, c, c0);
            store(alpha * d01, beta, c, c1);
            store(alpha * d02, beta, c, c2);
            store(alpha * d03, beta, c, c3);
            store(alpha * d10, beta, c, c0 + 1);
            store(alpha * d11, beta, c, c1 + 1);
            store(alpha * d12, beta, c, c2 + 1);
            store(alpha * d13, beta, c, c3 + 1);
        }
        if (i < m) {
            for (int j = 0; j < MAX_N; j++) {
                dotColumns(1, k, alpha, a, aOff + i * lda, lda, b, bOff + j * ldb, beta, c, cOff + j * ldc + i);
            }
        }
    }

    private static void store(double v, double beta, double[] c, int at) {
        c[at] = beta == 0 ? v : v + beta * c[at];
    }
}
