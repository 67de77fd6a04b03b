package bilinear.linalg.eigen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bilinear.linalg.CounterRng;
import org.junit.jupiter.api.Test;

/** The eigensolver facade: exact reconstruction, orthonormality, every order, stable signs, untouched input. */
class SymmetricEigenTest {
    /** A seeded symmetric matrix {@code (G + Gᵀ)/2}, row-major {@code [n, n]}. */
    static double[] symmetric(long seed, int n) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double g = CounterRng.gaussian(seed, i * n + j);
                a[i * n + j] = g;
                a[j * n + i] = g;
            }
        }
        return a;
    }

    static double maxAbs(double[] a) {
        double m = 0;
        for (double x : a) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    @Test
    void reconstructsTheMatrixWithOrthonormalVectors() {
        for (int n : new int[] {1, 2, 7, 33, 64}) {
            double[] a = symmetric(n, n);
            EigenPairs p = SymmetricEigen.decompose(a, n, EigenOrder.MAGNITUDE);
            double scale = Math.max(1, maxAbs(a));
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0, dot = 0;
                    for (int k = 0; k < n; k++) {
                        sum += p.value(k) * p.vectors()[k * n + i] * p.vectors()[k * n + j];
                        dot += p.vectors()[i * n + k] * p.vectors()[j * n + k];
                    }
                    assertEquals(a[i * n + j], sum, 1e-12 * scale * n, "A = Σ λ v vᵀ at " + i + "," + j + " (n=" + n + ")");
                    assertEquals(i == j ? 1 : 0, dot, 1e-12 * n, "orthonormal rows " + i + "," + j);
                }
            }
        }
    }

    @Test
    void knownSpectrum() {
        // [[2, 1], [1, 2]] has eigenvalues 3 (vector (1,1)/√2) and 1 (vector (1,−1)/√2 up to sign)
        EigenPairs p = SymmetricEigen.decompose(new double[] {2, 1, 1, 2}, 2, EigenOrder.DESCENDING);
        assertArrayEquals(new double[] {3, 1}, p.values(), 1e-14);
        double r = Math.sqrt(0.5);
        assertArrayEquals(new double[] {r, r}, p.vector(0), 1e-14);
        assertEquals(0, p.vector(1)[0] + p.vector(1)[1], 1e-14);
    }

    @Test
    void everyOrderSortsTheSameSpectrum() {
        int n = 40;
        double[] a = symmetric(7, n);
        double[] byMagnitude = SymmetricEigen.decompose(a, n, EigenOrder.MAGNITUDE).values();
        double[] descending = SymmetricEigen.decompose(a, n, EigenOrder.DESCENDING).values();
        double[] ascending = SymmetricEigen.decompose(a, n, EigenOrder.ASCENDING).values();
        double[] signed = SymmetricEigen.decompose(a, n, EigenOrder.SIGNED).values();
        for (int i = 1; i < n; i++) {
            assertTrue(Math.abs(byMagnitude[i - 1]) >= Math.abs(byMagnitude[i]), "by |λ|");
            assertTrue(descending[i - 1] >= descending[i], "descending");
            assertTrue(ascending[i - 1] <= ascending[i], "ascending");
            assertEquals(descending[i], ascending[n - 1 - i], 0, "the same values");
            boolean bothPositive = signed[i - 1] > 0 && signed[i] > 0, bothNegative = signed[i - 1] < 0 && signed[i] < 0;
            if (bothPositive) {
                assertTrue(signed[i - 1] >= signed[i], "positives first, largest first");
            } else if (bothNegative) {
                assertTrue(signed[i - 1] <= signed[i], "then negatives, most negative first");
            } else {
                assertTrue(signed[i - 1] > 0 || signed[i] <= 0, "no positive after a negative");
            }
        }
        assertArrayEquals(ascending, SymmetricEigen.values(a, n, EigenOrder.ASCENDING), 1e-12 * maxAbs(ascending),
                "values-only agrees with the full decomposition");
    }

    @Test
    void signsAreDeterministicAndInputIsUntouched() {
        int n = 25;
        double[] a = symmetric(3, n);
        double[] before = a.clone();
        EigenPairs first = SymmetricEigen.decompose(a, n, EigenOrder.MAGNITUDE);
        assertArrayEquals(before, a, 0, "the input is not modified");
        EigenPairs again = SymmetricEigen.decompose(a, n, EigenOrder.MAGNITUDE);
        assertArrayEquals(first.vectors(), again.vectors(), 0, "bit-identical on a second run");
        for (int i = 0; i < n; i++) {
            double[] v = first.vector(i);
            int best = 0;
            for (int j = 1; j < n; j++) {
                if (Math.abs(v[j]) > Math.abs(v[best])) {
                    best = j;
                }
            }
            assertTrue(v[best] > 0, "largest component of eigenvector " + i + " is positive");
        }
        double[] negated = a.clone();
        for (int i = 0; i < negated.length; i++) {
            negated[i] = -negated[i];
        }
        EigenPairs neg = SymmetricEigen.decompose(negated, n, EigenOrder.MAGNITUDE);
        for (int i = 0; i < n; i++) {
            assertEquals(-first.value(i), neg.value(i), 1e-12 * maxAbs(first.values()), "−A has eigenvalues −λ");
        }
    }

    @Test
    void refusesMalformedInput() {
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.decompose(new double[5], 2, EigenOrder.MAGNITUDE));
        ArithmeticException nan = assertThrows(ArithmeticException.class,
                () -> SymmetricEigen.decompose(new double[] {1, Double.NaN, Double.NaN, 1}, 2, EigenOrder.MAGNITUDE));
        assertTrue(nan.getMessage().contains("non-finite"), nan.getMessage());
        assertEquals(0, SymmetricEigen.decompose(new double[0], 0, EigenOrder.MAGNITUDE).n());
    }
}
