package bilinear.linalg.eigen;

/**
 * Eigenpairs of a symmetric tridiagonal matrix (LAPACK's {@code dstedc} driver): scale to unit
 * norm, split where an off-diagonal is negligible ({@code |e_i| ≤ ε √|d_i| √|d_{i+1}|}), solve
 * every unreduced block (small ones by implicit QL, larger ones by divide and conquer), scale
 * back and sort. Scaling by a power of two is exact, so it changes no digit of the result.
 */
final class TridiagonalEigen {
    private TridiagonalEigen() {
    }

    /** Unit roundoff of double and of float arithmetic. */
    static final double DOUBLE = Math.ulp(1.0) / 2, SINGLE = Math.ulp(1f) / 2;

    /**
     * Eigenvalues into {@code d} and eigenvectors into the matching columns of {@code z}
     * (column-major {@code [n, n]}, overwritten), in no particular order. {@code e} (length n − 1)
     * is destroyed.
     */
    static void vectors(double[] d, double[] e, int n, double[] z, DoubleKernels kernels, Workspace ws) {
        vectors(d, e, n, z, kernels, null, ws, DOUBLE);
    }

    /**
     * {@link #vectors(double[], double[], int, double[], DoubleKernels, Workspace)} for a
     * tridiagonal known only to unit roundoff {@code eps} (computed in single precision:
     * {@link #SINGLE}): couplings and deflations below that are dropped, and divide and conquer's
     * products run on {@code floats} when not null.
     */
    static void vectors(double[] d, double[] e, int n, double[] z, DoubleKernels kernels, FloatKernels floats,
                        Workspace ws, double eps) {
        java.util.Arrays.fill(z, 0, n * n, 0.0);
        double scale = scale(d, e, n);
        if (scale == 0) {
            for (int i = 0; i < n; i++) {
                z[i + i * n] = 1;
            }
            return;
        }
        for (int s = 0; s < n; ) {
            int t = blockEnd(d, e, n, s, eps);
            int m = t - s;
            if (m == 1) {
                z[s + s * n] = 1;
            } else if (m <= DivideAndConquer.LEAF) {
                double[] dd = java.util.Arrays.copyOfRange(d, s, t), ee = java.util.Arrays.copyOfRange(e, s, t - 1);
                for (int j = 0; j < m; j++) {
                    z[(s + j) + (s + j) * n] = 1;
                }
                TridiagonalQl.solve(dd, ee, m, z, s + s * n, n, m, 2 * eps);
                System.arraycopy(dd, 0, d, s, m);
            } else {
                double[] dd = java.util.Arrays.copyOfRange(d, s, t), ee = java.util.Arrays.copyOfRange(e, s, t - 1);
                double[] local = m == n ? z : new double[m * m];
                DivideAndConquer.solve(dd, ee, m, local, kernels, floats, ws, eps);
                System.arraycopy(dd, 0, d, s, m);
                if (local != z) {
                    for (int j = 0; j < m; j++) {
                        System.arraycopy(local, j * m, z, s + (s + j) * n, m);
                    }
                }
            }
            s = t;
        }
        for (int i = 0; i < n; i++) {
            d[i] *= scale;
        }
    }

    /** Eigenvalues only, ascending into {@code d} (implicit QL, O(n²)). {@code e} is destroyed. */
    static void values(double[] d, double[] e, int n) {
        double scale = scale(d, e, n);
        if (scale == 0) {
            return;
        }
        TridiagonalQl.solve(d, e, n, null, 0, 0, 0);
        for (int i = 0; i < n; i++) {
            d[i] *= scale;
        }
    }

    /**
     * Divides d and e by the power of two nearest above their largest magnitude and returns it
     * (0 when the matrix is zero).
     */
    private static double scale(double[] d, double[] e, int n) {
        double max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, Math.abs(d[i]));
        }
        for (int i = 0; i < n - 1; i++) {
            max = Math.max(max, Math.abs(e[i]));
        }
        if (max == 0) {
            return 0;
        }
        double scale = powerOfTwoAbove(max), inv = 1 / scale;
        for (int i = 0; i < n; i++) {
            d[i] *= inv;
        }
        for (int i = 0; i < n - 1; i++) {
            e[i] *= inv;
        }
        return scale;
    }

    /** The smallest power of two ≥ x (x positive and finite). */
    static double powerOfTwoAbove(double x) {
        double p = Math.scalb(1.0, Math.getExponent(x));
        return p >= x ? p : 2 * p;
    }

    /** End (exclusive) of the unreduced block starting at s; zeroes the negligible coupling found. */
    private static int blockEnd(double[] d, double[] e, int n, int s, double eps) {
        for (int m = s; m < n - 1; m++) {
            double tiny = eps * Math.sqrt(Math.abs(d[m])) * Math.sqrt(Math.abs(d[m + 1]));
            if (Math.abs(e[m]) <= tiny) {
                e[m] = 0;
                return m + 1;
            }
        }
        return n;
    }

}
