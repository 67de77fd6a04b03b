package bilinear.linalg.eigen;

import static bilinear.linalg.eigen.EigenChecks.assertEigenpairs;
import static bilinear.linalg.eigen.EigenChecks.ejmlValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The solver with its dense steps in single precision ({@link SymmetricEigen.Precision#SINGLE})
 * against EJML on the sizes and awkward spectra the double solver is tested on: residual,
 * orthogonality and eigenvalues within {@code 4·(n + 16)} float ulps relative to ‖A‖₁ (LAPACK's
 * {@code ssyevd} is held to O(n)·ε in the same way).
 */
class SinglePrecisionEigenTest {
    /** Float ε in units of double ε, the unit {@link EigenChecks#assertEigenpairs} counts in. */
    static final double FLOAT_ULPS = Math.ulp(1f) / Math.ulp(1.0);

    static double bound(int n) {
        return 4 * (n + 16) * FLOAT_ULPS;
    }

    @BeforeAll
    static void needsTheVectorKernels() {
        Assumptions.assumeTrue(FloatKernels.best() != null, "the Vector API kernels are not available: " + FloatKernels.whyUnavailable());
    }

    static EigenPairs single(double[] a, int n, EigenOrder order) {
        return SymmetricEigen.decompose(a, n, order, SymmetricEigen.Precision.SINGLE);
    }

    static Stream<Integer> sizes() {
        return Stream.of(1, 2, 3, 7, 16, 17, 31, 32, 33, 63, 64, 65, 97, 100, 129, 130, 257, 513);
    }

    @ParameterizedTest(name = "n = {0}")
    @MethodSource("sizes")
    void randomMatricesAgreeWithEjml(int n) {
        double[] a = EigenChecks.gaussian(n, n);
        double[] before = a.clone();
        EigenPairs r = single(a, n, EigenOrder.ASCENDING);
        assertArrayEquals(before, a, 0, "the input is untouched");
        assertEigenpairs("gaussian n=" + n, a, n, r.values(), r.vectors(), ejmlValues(a, n), bound(n));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bilinear.linalg.eigen.DenseSymmetricEigenTest#awkwardMatrices")
    void awkwardSpectraAgreeWithEjml(String name, int n, double[] a) {
        EigenPairs r = single(a, n, EigenOrder.ASCENDING);
        assertEigenpairs(name + " (single)", a, n, r.values(), r.vectors(), ejmlValues(a, n), bound(n));
    }

    @Test
    void sortedSignFixedAndTheSameBitsEveryTime() {
        int n = 150;
        double[] a = EigenChecks.lowRank(21, n, 40);
        EigenPairs first = single(a, n, EigenOrder.MAGNITUDE), again = single(a, n, EigenOrder.MAGNITUDE);
        assertArrayEquals(first.values(), again.values(), 0);
        assertArrayEquals(first.vectors(), again.vectors(), 0);
        EigenPairs exact = SymmetricEigen.decompose(a, n, EigenOrder.MAGNITUDE);
        double scale = Math.abs(exact.value(0));
        for (int i = 0; i < n; i++) {
            assertEquals(exact.value(i), first.value(i), 1e-5 * scale, "eigenvalue " + i + " as in double precision");
            if (i > 0) {
                assertEquals(true, Math.abs(first.value(i - 1)) >= Math.abs(first.value(i)), "sorted by |λ| at " + i);
            }
        }
        for (int i = 0; i < 40; i++) {                  // the nonzero part of the spectrum is well separated here
            double dot = 0;
            for (int j = 0; j < n; j++) {
                dot += first.vector(i)[j] * exact.vector(i)[j];
            }
            assertEquals(1, dot, 1e-4, "eigenvector " + i + " matches the double one, sign included");
        }
    }

    @Test
    void refusesWhatTheDoubleSolverRefuses() {
        assertThrows(IllegalArgumentException.class, () -> single(new double[5], 2, EigenOrder.MAGNITUDE));
        assertThrows(ArithmeticException.class, () -> single(new double[] {1, Double.NaN, Double.NaN, 1}, 2, EigenOrder.MAGNITUDE));
        assertEquals(0, single(new double[0], 0, EigenOrder.MAGNITUDE).n());
    }
}
