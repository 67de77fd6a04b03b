package bilinear.linalg.eigen;

import static bilinear.linalg.eigen.EigenChecks.assertEigenpairs;
import static bilinear.linalg.eigen.EigenChecks.ejmlValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import bilinear.linalg.CounterRng;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The divide-and-conquer solver against EJML on awkward sizes and degenerate spectra, with both
 * kernel sets: residual and orthogonality within {@value #BOUND}·ε·‖A‖, eigenvalues within the
 * same of EJML's.
 */
class DenseSymmetricEigenTest {
    /** In units of ε·‖A‖₁ (residual, values) and ε (orthogonality); LAPACK's own tests use O(n)·ε. */
    static final double BOUND = 64;

    static Stream<DoubleKernels> kernels() {
        return DoubleKernels.best() == DoubleKernels.plain() ? Stream.of(DoubleKernels.plain())
                : Stream.of(DoubleKernels.plain(), DoubleKernels.best());
    }

    static Stream<Arguments> sizesAndKernels() {
        return kernels().flatMap(k -> Stream.of(1, 2, 3, 7, 16, 17, 31, 32, 33, 63, 64, 65, 100, 129, 257, 513)
                .map(n -> Arguments.of(n, k)));
    }

    @ParameterizedTest(name = "n = {0}, {1}")
    @MethodSource("sizesAndKernels")
    void randomMatricesAgreeWithEjml(int n, DoubleKernels k) {
        double[] a = EigenChecks.gaussian(n, n);
        double[] before = a.clone();
        EigenPairs r = DenseSymmetricEigen.decompose(a, n, EigenOrder.ASCENDING, k);
        assertArrayEquals(before, a, 0, "the input is untouched");
        assertEigenpairs("gaussian n=" + n, a, n, r.values(), r.vectors(), ejmlValues(a, n), BOUND);
        double[] values = DenseSymmetricEigen.values(a, n, k);
        for (int i = 0; i < n; i++) {
            assertEquals(r.values()[i], values[i], BOUND * EigenChecks.EPS * EigenChecks.norm1(a, n), "values only, " + i);
        }
    }

    /** Named matrices with structure that trips up deflation, splitting and the secular solver. */
    static Stream<Arguments> awkwardMatrices() {
        List<Arguments> cases = new java.util.ArrayList<>();
        for (int n : new int[] {7, 64, 65, 150, 257}) {
            cases.add(Arguments.of("zero " + n, n, new double[n * n]));
            cases.add(Arguments.of("identity " + n, n, diagonal(n, i -> 1)));
            cases.add(Arguments.of("diagonal " + n, n, diagonal(n, i -> CounterRng.gaussian(5, i))));
            cases.add(Arguments.of("tridiagonal " + n, n, tridiagonal(n)));
            cases.add(Arguments.of("rank 2 " + n, n, EigenChecks.lowRank(11, n, 2)));
            cases.add(Arguments.of("rank n/3 " + n, n, EigenChecks.lowRank(12, n, Math.max(1, n / 3))));
            cases.add(Arguments.of("3 repeated values " + n, n, EigenChecks.withSpectrum(repeated(n), 13)));
            cases.add(Arguments.of("clustered " + n, n, EigenChecks.withSpectrum(clustered(n), 14)));
            cases.add(Arguments.of("graded " + n, n, EigenChecks.withSpectrum(graded(n), 15)));
            cases.add(Arguments.of("wilkinson " + n, n, wilkinson(n)));
            cases.add(Arguments.of("tiny scale " + n, n, scaled(EigenChecks.gaussian(16, n), 1e-200)));
            cases.add(Arguments.of("huge scale " + n, n, scaled(EigenChecks.gaussian(17, n), 1e200)));
            cases.add(Arguments.of("ones " + n, n, diagonal(n, i -> 0, 1)));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("awkwardMatrices")
    void awkwardSpectraAgreeWithEjml(String name, int n, double[] a) {
        kernels().forEach(k -> {
            EigenPairs r = DenseSymmetricEigen.decompose(a, n, EigenOrder.ASCENDING, k);
            assertEigenpairs(name + " (" + k.name() + ")", a, n, r.values(), r.vectors(), ejmlValues(a, n), BOUND);
        });
    }

    @ParameterizedTest(name = "n = {0}, {1}")
    @MethodSource("sizesAndKernels")
    void sameBitsEveryTime(int n, DoubleKernels k) {
        if (n > 129) {
            return;
        }
        double[] a = EigenChecks.lowRank(21, n, Math.max(1, n / 4));
        EigenPairs first = DenseSymmetricEigen.decompose(a, n, EigenOrder.ASCENDING, k);
        EigenPairs again = DenseSymmetricEigen.decompose(a, n, EigenOrder.ASCENDING, k);
        assertArrayEquals(first.values(), again.values(), 0);
        assertArrayEquals(first.vectors(), again.vectors(), 0);
    }

    interface Entry {
        double at(int i);
    }

    static double[] diagonal(int n, Entry entry) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            a[i * n + i] = entry.at(i);
        }
        return a;
    }

    /** Constant {@code c} everywhere off the diagonal plus the given diagonal: the all-ones matrix for (0, 1). */
    static double[] diagonal(int n, Entry entry, double c) {
        double[] a = diagonal(n, entry);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    a[i * n + j] = c;
                }
            }
        }
        return a;
    }

    static double[] tridiagonal(int n) {
        double[] a = diagonal(n, i -> CounterRng.gaussian(6, i));
        for (int i = 0; i + 1 < n; i++) {
            double e = CounterRng.gaussian(7, i);
            a[i * n + i + 1] = e;
            a[(i + 1) * n + i] = e;
        }
        return a;
    }

    /** Wilkinson's W⁺: diagonal |i − m|, ones beside it; its top eigenvalues come in pairs agreeing to many digits. */
    static double[] wilkinson(int n) {
        double m = (n - 1) / 2.0;
        double[] a = diagonal(n, i -> Math.abs(i - m));
        for (int i = 0; i + 1 < n; i++) {
            a[i * n + i + 1] = 1;
            a[(i + 1) * n + i] = 1;
        }
        return a;
    }

    static double[] repeated(int n) {
        double[] l = new double[n];
        for (int i = 0; i < n; i++) {
            l[i] = i % 3 == 0 ? 2 : i % 3 == 1 ? -1 : 0.5;
        }
        return l;
    }

    static double[] clustered(int n) {
        double[] l = new double[n];
        for (int i = 0; i < n; i++) {
            l[i] = (i < n / 2 ? 1 : -1) + 1e-13 * i;
        }
        return l;
    }

    static double[] graded(int n) {
        double[] l = new double[n];
        for (int i = 0; i < n; i++) {
            l[i] = Math.pow(10, -12.0 * i / n) * (i % 2 == 0 ? 1 : -1);
        }
        return l;
    }

    static double[] scaled(double[] a, double s) {
        double[] b = Arrays.copyOf(a, a.length);
        for (int i = 0; i < b.length; i++) {
            b[i] *= s;
        }
        return b;
    }
}
