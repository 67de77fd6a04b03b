package bilinear.linalg.eigen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The Krylov top-k solver against the dense solver's leading pairs: values, vectors (up to sign,
 * where the eigenvalue is simple), the stated residual, both signs of the spectrum, clusters,
 * rank-deficient matrices, determinism and the dense fallback.
 */
class LeadingEigenTest {
    static final double TOL = LeadingEigen.DEFAULT_TOLERANCE;

    /** Checks the k pairs against the dense ones; vectors compared where |λ| is separated by {@code gap} from its neighbours. */
    static void assertLeading(String what, double[] a, int n, LeadingPairs p, double gap) {
        EigenPairs dense = SymmetricEigen.decompose(a, n, EigenOrder.MAGNITUDE);
        double scale = Math.max(Math.abs(dense.value(0)), Double.MIN_NORMAL);
        assertTrue(p.residual() <= TOL, what + ": reported residual " + p.residual());
        assertTrue(LeadingEigen.residual(a, n, p.values(), p.vectors(), DoubleKernels.plain()) <= 2 * TOL,
                what + ": residual recomputed");
        for (int i = 0; i < p.count(); i++) {
            assertEquals(Math.abs(dense.value(i)), Math.abs(p.value(i)), 1e-12 * scale, what + ": |λ_" + i + "|");
            assertEquals(1, dot(p.vector(i), p.vector(i), n), 1e-12, what + ": unit vector " + i);
            boolean simple = (i == 0 || Math.abs(dense.value(i - 1)) - Math.abs(dense.value(i)) > gap * scale)
                    && (i + 1 >= n || Math.abs(dense.value(i)) - Math.abs(dense.value(i + 1)) > gap * scale);
            if (simple) {
                assertEquals(dense.value(i), p.value(i), 1e-12 * scale, what + ": λ_" + i);
                assertEquals(1, Math.abs(dot(p.vector(i), dense.vector(i), n)), 1e-6, what + ": |cos| of vector " + i);
            }
            for (int j = 0; j < i; j++) {
                assertEquals(0, dot(p.vector(i), p.vector(j), n), 1e-9, what + ": orthogonal " + i + ", " + j);
            }
        }
    }

    static double dot(double[] x, double[] y, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += x[i] * y[i];
        }
        return s;
    }

    /** A decaying spectrum of mixed signs over a small bulk, the shape of a trained model's {@code Q(u)}. */
    static double[] decaying(int n, long seed) {
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            double sign = bilinear.linalg.CounterRng.gaussian(seed, i) > 0 ? 1 : -1;
            lambda[i] = sign * (Math.pow(0.85, i) + 1e-3 * Math.abs(bilinear.linalg.CounterRng.gaussian(seed + 1, i)));
        }
        return EigenChecks.withSpectrum(lambda, seed + 2);
    }

    @Test
    void decayingSpectraMatchTheDenseLeadingPairs() {
        int n = 300;
        for (int k : new int[] {1, 2, 5, 8}) {
            double[] a = decaying(n, 40 + k);
            LeadingPairs p = LeadingEigen.of(a, n, k);
            assertFalse(p.dense(), "k=" + k + " on n=" + n + " runs the Krylov iteration");
            assertTrue(p.products() > 0);
            assertLeading("decaying k=" + k, a, n, p, 1e-3);
        }
    }

    @Test
    void aFlatSpectrumEdgeFallsBackToTheDenseSolver() {
        // A Gaussian matrix's largest eigenvalues crowd together (gaps ~ n^(-2/3)): the Krylov
        // basis hits its cap before the residual bound, and the dense solver answers instead.
        int n = 300;
        double[] a = EigenChecks.gaussian(45, n);
        LeadingPairs p = LeadingEigen.of(a, n, 2);
        assertTrue(p.dense(), "answered by the dense solver");
        assertLeading("gaussian", a, n, p, 1e-3);
    }

    @Test
    void bothEndsOfAMixedSignSpectrum() {
        int n = 240;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = 0.01 * Math.sin(i);                       // a bulk near zero
        }
        lambda[3] = 5;
        lambda[7] = -4;
        lambda[11] = 3;
        lambda[13] = -2.5;
        double[] a = EigenChecks.withSpectrum(lambda, 51);
        LeadingPairs p = LeadingEigen.of(a, n, 4);
        assertArrayEquals(new double[] {5, -4, 3, -2.5}, p.values(), 1e-12 * 5);
        assertLeading("mixed signs", a, n, p, 1e-3);
    }

    @Test
    void clustersAndEqualMagnitudesOfOppositeSign() {
        int n = 200;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = 0.5 * (i % 7 - 3) / 3.0 * 0.2;
        }
        lambda[0] = 2;
        lambda[1] = 2 + 1e-9;
        lambda[2] = -2;                                            // |λ| tie with opposite sign
        lambda[3] = 1.5;
        lambda[4] = 1.5 - 1e-10;
        double[] a = EigenChecks.withSpectrum(lambda, 52);
        LeadingPairs p = LeadingEigen.of(a, n, 5);
        double[] abs = new double[5];
        for (int i = 0; i < 5; i++) {
            abs[i] = Math.abs(p.value(i));
        }
        assertArrayEquals(new double[] {2 + 1e-9, 2, 2, 1.5, 1.5 - 1e-10}, abs, 1e-11);
        assertLeading("clusters", a, n, p, 1e-3);
    }

    @Test
    void anEigenvalueRepeatedMoreOftenThanTheBlockIsStillFoundInFull() {
        // In exact arithmetic a block of b vectors sees at most b copies of an eigenvalue; the
        // Krylov basis may pick up the others from rounding errors, but only by luck, so a run
        // of b equal values among those found sends the matrix to the dense solver. Six copies
        // of the largest (blocks of 4) must all be reported, not the next eigenvalue instead.
        int n = 240;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = i < 6 ? 3 : 2 * Math.pow(0.8, i - 6);
        }
        double[] a = EigenChecks.withSpectrum(lambda, 53);
        LeadingPairs p = LeadingEigen.of(a, n, 8);
        assertArrayEquals(new double[] {3, 3, 3, 3, 3, 3, 2, 1.6}, p.values(), 1e-10);
        assertTrue(p.dense(), "a run of " + LeadingEigen.BLOCK + " or more equal values is answered densely");
        assertLeading("six-fold", a, n, p, 1e-3);
        assertEquals(4, LeadingEigen.longestRun(new double[] {1, 5, 5 + 1e-9, 5 - 1e-9, 9, 5}, 1e-6));
        assertEquals(1, LeadingEigen.longestRun(new double[] {3, 1, 2}, 0.5));
    }

    @Test
    void rankDeficientAndZeroMatrices() {
        int n = 200;
        double[] rank2 = EigenChecks.lowRank(61, n, 2);
        LeadingPairs p = LeadingEigen.of(rank2, n, 6);               // four of the six are zero
        assertLeading("rank 2", rank2, n, p, 1e-3);
        for (int i = 2; i < 6; i++) {
            assertEquals(0, p.value(i), 1e-10 * Math.abs(p.value(0)), "zero eigenvalue " + i);
        }
        LeadingPairs zero = LeadingEigen.of(new double[n * n], n, 3);
        assertArrayEquals(new double[3], zero.values(), 0);
        assertEquals(0, zero.residual(), 0);
        for (int i = 0; i < 3; i++) {
            assertEquals(1, dot(zero.vector(i), zero.vector(i), n), 1e-12);
        }
    }

    @Test
    void deterministicAndSignedLikeTheDenseSolver() {
        int n = 256;
        double[] a = EigenChecks.lowRank(71, n, 40);
        LeadingPairs first = LeadingEigen.of(a, n, 4), again = LeadingEigen.of(a, n, 4);
        assertArrayEquals(first.values(), again.values(), 0);
        assertArrayEquals(first.vectors(), again.vectors(), 0);
        for (int i = 0; i < 4; i++) {
            double[] v = first.vector(i);
            int best = 0;
            for (int j = 1; j < n; j++) {
                if (Math.abs(v[j]) > Math.abs(v[best])) {
                    best = j;
                }
            }
            assertTrue(v[best] > 0, "largest component positive");
        }
    }

    @Test
    void smallMatricesAndLargeKGoDense() {
        double[] a = EigenChecks.gaussian(81, 50);
        LeadingPairs p = LeadingEigen.of(a, 50, 3);
        assertTrue(p.dense());
        assertLeading("n=50", a, 50, p, 1e-3);
        double[] b = EigenChecks.gaussian(82, 120);
        assertTrue(LeadingEigen.of(b, 120, 40).dense(), "k > n/4");
        assertEquals(0, LeadingEigen.of(b, 120, 0).count());
        assertThrows(IllegalArgumentException.class, () -> LeadingEigen.of(b, 120, 121));
        assertThrows(IllegalArgumentException.class, () -> LeadingEigen.of(b, 120, 2, 1e-16, DoubleKernels.plain()));
    }

    @Test
    void plainKernelsGiveTheSamePairs() {
        int n = 220;
        double[] a = EigenChecks.gaussian(91, n);
        LeadingPairs p = LeadingEigen.of(a, n, 3, TOL, DoubleKernels.plain());
        assertLeading("plain kernels", a, n, p, 1e-3);
    }
}
