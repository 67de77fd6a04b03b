package bilinear.linalg.eigen;

/**
 * The implicit QL algorithm with Wilkinson-like shifts on a symmetric tridiagonal matrix
 * (EISPACK's {@code tql2}, in the form JAMA uses): each sweep chases a bulge up from the bottom
 * of an unreduced block with plane rotations, and an off-diagonal element is taken as zero once
 * it is below {@code ε·max(|d|+|e|)} of the part seen so far, which gives eigenvalues good to a
 * few ε relative to the matrix norm.
 *
 * <p>With eigenvectors the rotations are applied to the columns of {@code Z} (each rotation
 * touches two contiguous columns, a vector-friendly loop), so this costs about {@code 6n³} flops:
 * the divide-and-conquer solver uses it only for leaves of a few dozen rows. Without vectors it is
 * {@code O(n²)}, the eigenvalues-only path.
 */
final class TridiagonalQl {
    private TridiagonalQl() {
    }

    private static final double EPS = Math.ulp(1.0);
    private static final int MAX_SWEEPS_PER_VALUE = 60;

    /**
     * Eigenvalues of the tridiagonal {@code (d[0..n), e[0..n−1))} into {@code d}, ascending; when
     * {@code z != null}, columns {@code 0..n} of {@code z} (column-major, {@code rows} rows from
     * {@code zOff}, leading dimension {@code ldz}) are multiplied by the eigenvectors, so passing
     * the identity gives the eigenvectors themselves. {@code e} is destroyed.
     */
    static void solve(double[] d, double[] e, int n, double[] z, int zOff, int ldz, int rows) {
        solve(d, e, n, z, zOff, ldz, rows, EPS);
    }

    /**
     * {@link #solve(double[], double[], int, double[], int, int, int)} with off-diagonal elements
     * dropped below {@code tol·max(|d|+|e|)}: {@code tol} is one ulp of 1 in the precision the
     * tridiagonal is known to (a single-precision one converges in fewer sweeps).
     */
    static void solve(double[] d, double[] e, int n, double[] z, int zOff, int ldz, int rows, double tol) {
        if (n <= 1) {
            return;
        }
        double[] off = new double[n];                       // off[i] couples i and i+1; off[n−1] = 0
        System.arraycopy(e, 0, off, 0, n - 1);
        double f = 0, tst1 = 0;
        for (int l = 0; l < n; l++) {
            tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(off[l]));
            int m = l;
            while (m < n - 1 && Math.abs(off[m]) > tol * tst1) {
                m++;
            }
            if (m > l) {
                int sweeps = 0;
                do {
                    if (++sweeps > MAX_SWEEPS_PER_VALUE) {
                        throw new NotConvergedException("implicit QL did not converge on a " + n + "×" + n + " tridiagonal matrix");
                    }
                    // Shift: the eigenvalue of the leading 2×2 block closer to d[l].
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2 * off[l]);
                    double r = hypot(p, 1);
                    if (p < 0) {
                        r = -r;
                    }
                    d[l] = off[l] / (p + r);
                    d[l + 1] = off[l] * (p + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < n; i++) {
                        d[i] -= h;
                    }
                    f += h;
                    // Implicit QL sweep from m − 1 up to l.
                    p = d[m];
                    double c = 1, c2 = 1, c3 = 1, s = 0, s2 = 0;
                    double el1 = off[l + 1];
                    for (int i = m - 1; i >= l; i--) {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * off[i];
                        h = c * p;
                        r = hypot(p, off[i]);
                        off[i + 1] = s * r;
                        s = off[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        if (z != null) {
                            rotate(z, zOff + i * ldz, zOff + (i + 1) * ldz, rows, c, s);
                        }
                    }
                    p = -s * s2 * c3 * el1 * off[l] / dl1;
                    off[l] = s * p;
                    d[l] = c * p;
                } while (Math.abs(off[l]) > tol * tst1);
            }
            d[l] += f;
            off[l] = 0;
        }
        sortAscending(d, n, z, zOff, ldz, rows);
    }

    /** Columns {@code x = Z(:, i)}, {@code y = Z(:, i+1)}: {@code y ← s·x + c·y}, {@code x ← c·x − s·y}. */
    private static void rotate(double[] z, int x, int y, int rows, double c, double s) {
        for (int k = 0; k < rows; k++) {
            double h = z[y + k];
            z[y + k] = s * z[x + k] + c * h;
            z[x + k] = c * z[x + k] - s * h;
        }
    }

    /** Selection sort of the values, swapping the matching columns (n swaps at most). */
    private static void sortAscending(double[] d, int n, double[] z, int zOff, int ldz, int rows) {
        for (int i = 0; i < n - 1; i++) {
            int min = i;
            for (int j = i + 1; j < n; j++) {
                if (d[j] < d[min]) {
                    min = j;
                }
            }
            if (min != i) {
                double t = d[i];
                d[i] = d[min];
                d[min] = t;
                if (z != null) {
                    int a = zOff + i * ldz, b = zOff + min * ldz;
                    for (int k = 0; k < rows; k++) {
                        double u = z[a + k];
                        z[a + k] = z[b + k];
                        z[b + k] = u;
                    }
                }
            }
        }
    }

    /** {@code √(a² + b²)} without the cost of {@link Math#hypot} when no over/underflow threatens. */
    static double hypot(double a, double b) {
        double h = Math.sqrt(a * a + b * b);
        return h > 1e-150 && h < 1e150 ? h : Math.hypot(a, b);
    }
}
