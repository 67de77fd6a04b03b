package bilinear.linalg.eigen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import bilinear.linalg.CounterRng;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Vector API double kernels against the plain ones on shapes with lane and tile tails, every
 * transpose combination, offsets and leading dimensions larger than the rows. Bounds are relative
 * to the sum of |terms| (what rounding in any order can change), times a small factor.
 */
class DoubleKernelsContractTest {
    static final DoubleKernels PLAIN = DoubleKernels.plain();

    static double[] random(long seed, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = CounterRng.gaussian(seed, i);
        }
        return x;
    }

    static DoubleKernels simd() {
        Assumptions.assumeTrue(DoubleKernels.best() != PLAIN, "the Vector API kernels are not available: " + DoubleKernels.whyPlain());
        return DoubleKernels.best();
    }

    @Test
    void gemmAgreesOnEveryShapeAndTranspose() {
        DoubleKernels simd = simd();
        int[] sizes = {1, 2, 7, 15, 16, 17, 33, 65, 130, 257, 300};
        for (int ta = 0; ta < 2; ta++) {
            for (int tb = 0; tb < 2; tb++) {
                for (int mi = 0; mi < sizes.length; mi += 2) {
                    for (int ni = 1; ni < sizes.length; ni += 3) {
                        for (int ki = 0; ki < sizes.length; ki += 4) {
                            gemmCase(simd, ta == 1, tb == 1, sizes[mi], sizes[ni], sizes[ki]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void gemmAgreesOnSkinnyProducts() {
        // At most four columns of C (the Krylov solver's blocks) take a path of their own.
        DoubleKernels simd = simd();
        int[] sizes = {1, 2, 3, 5, 8, 17, 64, 131, 512};
        for (int ta = 0; ta < 2; ta++) {
            for (int tb = 0; tb < 2; tb++) {
                for (int n = 1; n <= 5; n++) {
                    for (int m : sizes) {
                        for (int k : sizes) {
                            gemmCase(simd, ta == 1, tb == 1, m, n, k);
                        }
                    }
                }
            }
        }
    }

    @Test
    void gemmWithBetaZeroNeverReadsC() {
        DoubleKernels simd = simd();
        for (int ta = 0; ta < 2; ta++) {
            for (int n : new int[] {1, 4, 9}) {
                int m = 37, k = 29;
                double[] a = random(1, m * k), b = random(2, k * n);
                double[] c1 = new double[m * n], c2 = new double[m * n];
                java.util.Arrays.fill(c2, Double.NaN);
                PLAIN.gemm(ta == 1, false, m, n, k, 1.5, a, 0, ta == 1 ? k : m, b, 0, k, 0, c1, 0, m);
                simd.gemm(ta == 1, false, m, n, k, 1.5, a, 0, ta == 1 ? k : m, b, 0, k, 0, c2, 0, m);
                assertArrayEquals(c1, c2, 1e-13, "beta = 0, n = " + n + (ta == 1 ? ", A transposed" : ""));
            }
        }
    }

    private static void gemmCase(DoubleKernels simd, boolean ta, boolean tb, int m, int n, int k) {
        int pad = 3, off = 5;
        int lda = (ta ? k : m) + pad, ldb = (tb ? n : k) + pad, ldc = m + pad;
        double[] a = random(1, off + lda * (ta ? m : k)), b = random(2, off + ldb * (tb ? k : n));
        double[] c1 = random(3, off + ldc * n), c2 = c1.clone();
        double alpha = 0.75, beta = -0.5;
        PLAIN.gemm(ta, tb, m, n, k, alpha, a, off, lda, b, off, ldb, beta, c1, off, ldc);
        simd.gemm(ta, tb, m, n, k, alpha, a, off, lda, b, off, ldb, beta, c2, off, ldc);
        for (int i = 0; i < c1.length; i++) {
            int row = (i - off) % ldc;
            boolean inside = i >= off && row < m && (i - off) / ldc < n;
            double tol = inside ? 1e-14 * (k + 2) * 4 : 0;           // |terms| ~ 1 each
            assertEquals(c1[i], c2[i], tol, "gemm " + (ta ? "T" : "N") + (tb ? "T" : "N") + " " + m + "×" + n + "×" + k + " at " + i);
        }
    }

    @Test
    void symvDotAxpyAgree() {
        DoubleKernels simd = simd();
        for (int n : new int[] {1, 3, 4, 5, 8, 9, 17, 64, 67, 255}) {
            int lda = n + 2, off = 3;
            double[] a = random(4, off + lda * n), x = random(5, n + 7);
            double[] y1 = new double[n + 4], y2 = new double[n + 4];
            PLAIN.symvLower(n, a, off, lda, x, 7, y1, 4);
            simd.symvLower(n, a, off, lda, x, 7, y2, 4);
            for (int i = 0; i < n + 4; i++) {
                assertEquals(y1[i], y2[i], 1e-14 * 8 * n, "symv n=" + n + " at " + i);
            }
            assertEquals(PLAIN.dot(n, a, off, x, 1), simd.dot(n, a, off, x, 1), 1e-14 * 8 * n, "dot n=" + n);
            double[] z1 = random(6, n + 2), z2 = z1.clone();
            PLAIN.axpy(n, -1.5, x, 2, z1, 1);
            simd.axpy(n, -1.5, x, 2, z2, 1);
            for (int i = 0; i < z1.length; i++) {
                assertEquals(z1[i], z2[i], 1e-15 * 8, "axpy n=" + n + " at " + i);
            }
        }
    }

    @Test
    void gemvAgrees() {
        DoubleKernels simd = simd();
        for (int m : new int[] {1, 7, 8, 9, 33, 130}) {
            for (int n : new int[] {1, 3, 4, 5, 9, 31}) {
                int lda = m + 3, off = 2;
                double[] a = random(8, off + lda * n), x = random(9, Math.max(m, n) + 4);
                double[] y1 = random(10, m + 5), y2 = y1.clone();
                PLAIN.gemvN(m, n, -0.5, a, off, lda, x, 4, y1, 1);
                simd.gemvN(m, n, -0.5, a, off, lda, x, 4, y2, 1);
                for (int i = 0; i < y1.length; i++) {
                    assertEquals(y1[i], y2[i], 1e-14 * 8 * n, "gemvN " + m + "×" + n + " at " + i);
                }
                double[] t1 = random(11, n + 3), t2 = t1.clone();
                PLAIN.gemvT(m, n, a, off, lda, x, 4, t1, 2);
                simd.gemvT(m, n, a, off, lda, x, 4, t2, 2);
                for (int i = 0; i < t1.length; i++) {
                    assertEquals(t1[i], t2[i], 1e-14 * 8 * m, "gemvT " + m + "×" + n + " at " + i);
                }
            }
        }
    }

    @Test
    void quotientsAgree() {
        DoubleKernels simd = simd();
        for (int n : new int[] {0, 1, 7, 8, 9, 16, 31, 100}) {
            double[] x = random(3, n + 5), y = random(4, n + 6), z1 = random(5, n + 2);
            for (int i = 0; i < y.length; i++) {
                y[i] += Math.copySign(2, y[i]);                         // denominators away from zero
            }
            double[] z2 = z1.clone();
            PLAIN.scaleByQuotients(n, 0.5, x, 5, y, 6, z1, 2);
            simd.scaleByQuotients(n, 0.5, x, 5, y, 6, z2, 2);
            assertArrayEquals(z1, z2, 0, "z *= x / (y − c), n=" + n);
            double[] o1 = random(6, n + 1), o2 = o1.clone();
            PLAIN.divide(n, x, 5, y, 6, o1, 1);
            simd.divide(n, x, 5, y, 6, o2, 1);
            assertArrayEquals(o1, o2, 0, "x / y, n=" + n);
        }
    }

    @Test
    void secularSumsAgree() {
        DoubleKernels simd = simd();
        for (int k : new int[] {2, 3, 9, 16, 17, 100}) {
            double[] z = random(7, k);
            for (int origin : new int[] {0, k / 2, k - 1}) {
                double[] d1 = new double[k + 3];
                for (int j = 0; j < k; j++) {
                    d1[3 + j] = (j - origin) + 0.25;                   // poles on either side, none zero
                }
                double[] d2 = d1.clone(), s1 = new double[6], s2 = new double[6];
                PLAIN.secularSums(k, origin, 0.125, z, d1, 3, s1);
                simd.secularSums(k, origin, 0.125, z, d2, 3, s2);
                for (int j = 0; j < d1.length; j++) {
                    assertEquals(d1[j], d2[j], 0, "δ −= η, k=" + k);
                }
                for (int i = 0; i < 6; i++) {
                    assertEquals(s1[i], s2[i], 1e-13 * (1 + Math.abs(s1[i])) * k, "sum " + i + " k=" + k + " origin=" + origin);
                }
            }
        }
    }
}
