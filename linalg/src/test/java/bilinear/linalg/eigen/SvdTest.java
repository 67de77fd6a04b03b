package bilinear.linalg.eigen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bilinear.linalg.CounterRng;
import org.junit.jupiter.api.Test;

/** The SVD facade and the pseudo-inverse: reconstruction, order, orthonormality, Penrose conditions. */
class SvdTest {
    static double[] gaussian(long seed, int m, int n) {
        double[] a = new double[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = CounterRng.gaussian(seed, i);
        }
        return a;
    }

    static double[] multiply(double[] a, double[] b, int m, int k, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < n; j++) {
                    c[i * n + j] += a[i * k + p] * b[p * n + j];
                }
            }
        }
        return c;
    }

    @Test
    void reconstructsWideAndTallMatrices() {
        for (int[] mn : new int[][] {{3, 17}, {17, 3}, {8, 8}, {1, 5}}) {
            int m = mn[0], n = mn[1];
            double[] a = gaussian(m * 31L + n, m, n);
            Svd.Result s = Svd.decompose(a, m, n);
            int r = s.rank();
            assertEquals(Math.min(m, n), r);
            for (int i = 1; i < r; i++) {
                assertTrue(s.sigma()[i - 1] >= s.sigma()[i], "decreasing singular values");
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int k = 0; k < r; k++) {
                        sum += s.u()[i * r + k] * s.sigma()[k] * s.vt()[k * n + j];
                    }
                    assertEquals(a[i * n + j], sum, 1e-12, "U Σ Vᵀ = A at " + i + "," + j);
                }
            }
            for (int k = 0; k < r; k++) {
                for (int l = 0; l < r; l++) {
                    double uu = 0, vv = 0;
                    for (int i = 0; i < m; i++) {
                        uu += s.u()[i * r + k] * s.u()[i * r + l];
                    }
                    for (int j = 0; j < n; j++) {
                        vv += s.vt()[k * n + j] * s.vt()[l * n + j];
                    }
                    assertEquals(k == l ? 1 : 0, uu, 1e-12, "orthonormal U columns");
                    assertEquals(k == l ? 1 : 0, vv, 1e-12, "orthonormal V rows");
                }
            }
        }
    }

    @Test
    void pseudoInverseSatisfiesThePenroseConditionsEvenWhenRankDeficient() {
        int m = 6, n = 10;
        double[] a = gaussian(5, m, n);
        System.arraycopy(a, 0, a, 5 * n, n);  // the last row repeats the first: rank 5
        double[] p = Svd.pseudoInverse(a, m, n, 1e-12);
        double[] apa = multiply(multiply(a, p, m, n, m), a, m, m, n);
        double[] pap = multiply(multiply(p, a, n, m, n), p, n, n, m);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], apa[i], 1e-10, "A A⁺ A = A");
        }
        for (int i = 0; i < p.length; i++) {
            assertEquals(p[i], pap[i], 1e-10, "A⁺ A A⁺ = A⁺");
        }
        double[] full = gaussian(6, m, n);
        double[] ap = multiply(full, Svd.pseudoInverse(full, m, n, 1e-12), m, n, m);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                assertEquals(i == j ? 1 : 0, ap[i * m + j], 1e-10, "full row rank: A A⁺ = I (dual vectors)");
            }
        }
    }
}
