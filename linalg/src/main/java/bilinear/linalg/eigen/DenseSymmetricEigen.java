package bilinear.linalg.eigen;

/**
 * The fast dense symmetric eigensolver, {@code A = V Λ Vᵀ} in double precision, the way LAPACK's
 * {@code dsyevd} does it:
 *
 * <pre>
 *   1. A = Q T Qᵀ            blocked Householder tridiagonalisation        4n³/3 flops, half of them GEMM
 *   2. T = Z Λ Zᵀ            divide and conquer                            ≤ 4n³/3 flops of GEMM, less with deflation
 *   3. V = Q Z               blocked (compact WY) back-transformation      2n³ flops of GEMM
 * </pre>
 * Eigenvalues only: step 1 and implicit QL on T, no vectors ({@code 4n³/3} flops).
 *
 * <p>The matrix is first scaled by a power of two so its largest entry is about one (exact; the
 * eigenvalues are scaled back), which keeps every sum of squares clear of overflow and underflow.
 * Only the lower triangle in column-major terms (the upper triangle of a row-major array) is
 * read. Results are deterministic: the same input and kernels give the same bits on any thread.
 */
final class DenseSymmetricEigen {
    private DenseSymmetricEigen() {
    }

    /** All eigenpairs in {@code order}, signs fixed ({@link SymmetricEigen#ordered}). */
    static EigenPairs decompose(double[] a, int n, EigenOrder order, DoubleKernels kernels) {
        if (n == 0) {
            return new EigenPairs(0, new double[0], new double[0]);
        }
        Workspace ws = Workspace.forSize(n);
        double scale = scaleOf(a, n);
        HouseholderTridiagonal h = reduce(a, n, scale, kernels, ws);
        double[] d = h.d, e = h.e.clone();
        double[] z = ws.vectors;
        TridiagonalEigen.vectors(d, e, n, z, kernels, ws);
        h.applyQ(z, 0, n, n);
        for (int i = 0; i < n; i++) {
            d[i] *= scale;
        }
        return SymmetricEigen.ordered(n, d, z, order);
    }

    /**
     * {@link #decompose} with steps 1 and 3 in single precision on {@code floats}, step 2 in
     * double: the tridiagonal's eigenvectors are rounded to float for the back-transformation, and
     * the eigenvectors come back widened to double. Each step's error is of order
     * {@code n·2⁻²⁴·‖A‖}, as in LAPACK's {@code ssyevd}.
     */
    static EigenPairs decomposeSingle(double[] a, int n, EigenOrder order, FloatKernels floats, DoubleKernels doubles) {
        if (n == 0) {
            return new EigenPairs(0, new double[0], new double[0]);
        }
        Workspace ws = Workspace.forSize(n);
        double scale = scaleOf(a, n);
        float[] work = ws.single().matrix;
        double inv = 1 / scale;
        for (int i = 0; i < n * n; i++) {
            work[i] = (float) (a[i] * inv);
        }
        FloatHouseholderTridiagonal h = new FloatHouseholderTridiagonal(work, n, floats);
        h.reduce();
        double[] d = new double[n], e = new double[n - 1];
        for (int i = 0; i < n; i++) {
            d[i] = h.d[i];
        }
        for (int i = 0; i < n - 1; i++) {
            e[i] = h.e[i];
        }
        double[] z = ws.vectors;
        TridiagonalEigen.vectors(d, e, n, z, doubles, floats, ws, TridiagonalEigen.SINGLE);
        float[] zf = ws.single().vectors;
        for (int i = 0; i < n * n; i++) {
            zf[i] = (float) z[i];
        }
        h.applyQ(zf, 0, n, n);
        for (int i = 0; i < n; i++) {
            d[i] *= scale;
        }
        return SymmetricEigen.ordered(n, d, zf, order);
    }

    /** The eigenvalues, ascending. */
    static double[] values(double[] a, int n, DoubleKernels kernels) {
        if (n == 0) {
            return new double[0];
        }
        Workspace ws = Workspace.forSize(n);
        double scale = scaleOf(a, n);
        HouseholderTridiagonal h = reduce(a, n, scale, kernels, ws);
        double[] d = h.d;
        TridiagonalEigen.values(d, h.e.clone(), n);
        for (int i = 0; i < n; i++) {
            d[i] *= scale;
        }
        return d;
    }

    private static HouseholderTridiagonal reduce(double[] a, int n, double scale, DoubleKernels kernels, Workspace ws) {
        double[] work = ws.matrix;
        double inv = 1 / scale;
        for (int i = 0; i < n * n; i++) {
            work[i] = a[i] * inv;
        }
        HouseholderTridiagonal h = new HouseholderTridiagonal(work, n, kernels);
        h.reduce();
        return h;
    }

    /** A power of two near the largest |entry| (1 for the zero matrix); refuses non-finite entries. */
    private static double scaleOf(double[] a, int n) {
        double max = 0;
        for (int i = 0; i < n * n; i++) {
            max = Math.max(max, Math.abs(a[i]));               // NaN propagates through max
        }
        if (!(max < Double.POSITIVE_INFINITY)) {
            SymmetricEigen.checkFinite(a);                      // names the offending entry
        }
        return max == 0 ? 1 : TridiagonalEigen.powerOfTwoAbove(max);
    }
}
