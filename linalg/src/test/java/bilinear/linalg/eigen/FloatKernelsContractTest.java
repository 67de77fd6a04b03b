package bilinear.linalg.eigen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import bilinear.linalg.CounterRng;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The single-precision kernels against the plain double ones computing on the same (float)
 * inputs, on shapes with lane and tile tails, every transpose, offsets, leading dimensions larger
 * than the rows, and vectors that end exactly at their array's end (the tails must not read past it).
 * Bounds are float rounding of sums of |terms| ~ 1: {@code 2⁻²⁴·(terms + 2)}, times a small factor.
 * Elements outside the outputs must come back untouched.
 */
class FloatKernelsContractTest {
    static final DoubleKernels REFERENCE = DoubleKernels.plain();
    static final double U = Math.ulp(1f) / 2;

    static float[] random(long seed, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) CounterRng.gaussian(seed, i);
        }
        return x;
    }

    static double[] widen(float[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i];
        }
        return out;
    }

    static FloatKernels simd() {
        Assumptions.assumeTrue(FloatKernels.best() != null, "the Vector API kernels are not available: " + FloatKernels.whyUnavailable());
        return FloatKernels.best();
    }

    static void assertClose(double[] expected, float[] actual, double tol, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol * Math.max(1, Math.abs(expected[i])), what + " at " + i);
        }
    }

    @Test
    void gemmAgreesOnEveryShapeAndTranspose() {
        FloatKernels simd = simd();
        int[] sizes = {1, 2, 7, 13, 14, 15, 16, 17, 29, 31, 32, 33, 65, 130, 257, 600};
        for (int ta = 0; ta < 2; ta++) {
            for (int tb = 0; tb < 2; tb++) {
                for (int mi = 0; mi < sizes.length; mi += 2) {
                    for (int ni = 1; ni < sizes.length; ni += 3) {
                        for (int ki = 0; ki < sizes.length; ki += 4) {
                            gemmCase(simd, ta == 1, tb == 1, sizes[mi], sizes[ni], sizes[ki], 0.75f, -0.5f);
                        }
                    }
                }
            }
        }
        gemmCase(simd, false, true, 40, 33, 17, 1f, 0f);           // beta = 0 overwrites C
        gemmCase(simd, true, false, 9, 20, 0, 1f, 2f);             // k = 0 scales C
    }

    private static void gemmCase(FloatKernels simd, boolean ta, boolean tb, int m, int n, int k, float alpha, float beta) {
        int pad = 3, off = 5;
        int lda = (ta ? k : m) + pad, ldb = (tb ? n : k) + pad, ldc = m + pad;
        float[] a = random(1, off + lda * (ta ? m : k)), b = random(2, off + ldb * (tb ? k : n));
        float[] c = random(3, off + ldc * n);
        double[] expected = widen(c);
        REFERENCE.gemm(ta, tb, m, n, k, alpha, widen(a), off, lda, widen(b), off, ldb, beta, expected, off, ldc);
        simd.gemm(ta, tb, m, n, k, alpha, a, off, lda, b, off, ldb, beta, c, off, ldc);
        for (int i = 0; i < c.length; i++) {
            int row = (i - off) % ldc;
            boolean inside = i >= off && row < m && (i - off) / ldc < n;
            double tol = inside ? 4 * U * (k + 2) * 4 : 0;
            assertEquals(expected[i], c[i], tol, "gemm " + (ta ? "T" : "N") + (tb ? "T" : "N") + " " + m + "×" + n + "×" + k + " at " + i);
        }
    }

    @Test
    void symvAgreesAlsoWhereVectorsEndWithTheirArrays() {
        FloatKernels simd = simd();
        for (int n : new int[] {1, 3, 4, 5, 8, 15, 16, 17, 19, 33, 64, 67, 255, 300}) {
            for (int tight = 0; tight < 2; tight++) {
                int lda = n + 2, off = 3, xOff = tight == 1 ? 0 : 7, yOff = tight == 1 ? 0 : 4;
                float[] a = random(4, tight == 1 ? off + lda * (n - 1) + n : off + lda * n), x = random(5, xOff + n);
                float[] y = random(6, yOff + n + (tight == 1 ? 0 : 4));
                double[] expected = widen(y);
                REFERENCE.symvLower(n, widen(a), off, lda, widen(x), xOff, expected, yOff);
                simd.symvLower(n, a, off, lda, x, xOff, y, yOff);
                assertClose(expected, y, 8 * U * (n + 2), "symv n=" + n + (tight == 1 ? ", tight arrays" : ""));
            }
        }
    }

    @Test
    void gemvDotAxpyAgree() {
        FloatKernels simd = simd();
        for (int m : new int[] {1, 7, 15, 16, 17, 33, 130}) {
            for (int n : new int[] {1, 3, 4, 5, 9, 31}) {
                int lda = m + 3, off = 2;
                float[] a = random(8, off + lda * n), x = random(9, Math.max(m, n) + 4);
                float[] y = random(10, m + 5);
                double[] expected = widen(y);
                REFERENCE.gemvN(m, n, -0.5, widen(a), off, lda, widen(x), 4, expected, 1);
                simd.gemvN(m, n, -0.5f, a, off, lda, x, 4, y, 1);
                assertClose(expected, y, 8 * U * (n + 2), "gemvN " + m + "×" + n);
                float[] t = random(11, n + 3);
                double[] expectedT = widen(t);
                REFERENCE.gemvT(m, n, widen(a), off, lda, widen(x), 4, expectedT, 2);
                simd.gemvT(m, n, a, off, lda, x, 4, t, 2);
                assertClose(expectedT, t, 8 * U * (m + 2), "gemvT " + m + "×" + n);
            }
            float[] x = random(12, m + 3), y = random(13, m + 2);
            assertEquals(REFERENCE.dot(m, widen(x), 3, widen(y), 2), simd.dot(m, x, 3, y, 2), 8 * U * (m + 2), "dot m=" + m);
            double[] expected = widen(y);
            REFERENCE.axpy(m, -1.5, widen(x), 1, expected, 2);
            simd.axpy(m, -1.5f, x, 1, y, 2);
            assertClose(expected, y, 4 * U, "axpy m=" + m);
        }
    }
}
