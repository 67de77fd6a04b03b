package bilinear.linalg.eigen;

/**
 * Eigendecomposition of a real symmetric matrix, {@code A = Σ_i λ_i v_i v_iᵀ}, in double
 * precision by default even when the matrix came from float32 weights: eigenpairs good to about
 * 1e-15 relative to the largest |λ|. {@link Precision#SINGLE} runs the dense steps in float for
 * about 1.4× the speed and LAPACK {@code ssyevd}'s accuracy.
 *
 * <p>The solver is {@link DenseSymmetricEigen} (blocked Householder tridiagonalisation, divide and
 * conquer, blocked back-transformation: LAPACK's {@code dsyevd}) on the {@link DoubleKernels#best()
 * fastest double kernels} this JVM can run; {@link EjmlEigen} is the reference it is tested against
 * and the fallback should it ever fail to converge. For the leading eigenpairs only, see
 * {@link LeadingEigen}.
 *
 * <p>What the facade guarantees: the input is never modified, a failed decomposition is an
 * exception rather than a silent wrong answer, non-finite input is refused, the eigenpairs come
 * back sorted as asked, and every eigenvector has a deterministic sign (its component of largest
 * magnitude is positive; the first such component on exact ties). Matrices are row-major
 * {@code double[]}; only symmetric input is meaningful (the caller symmetrizes).
 */
public final class SymmetricEigen {
    private SymmetricEigen() {
    }

    /** The arithmetic of the full dense solver. */
    public enum Precision {
        /** Double precision throughout: eigenpairs good to about 1e-15 relative to the largest |λ|. */
        DOUBLE,
        /**
         * The reduction to tridiagonal form and the back-transformation (the {@code O(n³)} dense
         * steps) in float, the tridiagonal problem in double: LAPACK {@code ssyevd}'s accuracy
         * (residuals and loss of orthogonality of order {@code n·1e-7} relative to the largest
         * |λ|), at roughly half the memory traffic. Runs as {@link #DOUBLE} when the Vector API
         * kernels are unavailable ({@link FloatKernels#whyUnavailable()}).
         */
        SINGLE
    }

    /** The full decomposition of the {@code n × n} symmetric matrix {@code a}: real eigenvalues, orthonormal eigenvectors. */
    public static EigenPairs decompose(double[] a, int n, EigenOrder order) {
        return decompose(a, n, order, DoubleKernels.best());
    }

    /** {@link #decompose(double[], int, EigenOrder)} on the given kernels (to compare or benchmark them). */
    public static EigenPairs decompose(double[] a, int n, EigenOrder order, DoubleKernels kernels) {
        checkSquare(a, n);
        try {
            return DenseSymmetricEigen.decompose(a, n, order, kernels);
        } catch (NotConvergedException notConverged) {
            return EjmlEigen.decompose(a, n, order);
        }
    }

    /** The precision {@link #decompose(double[], int, EigenOrder, Precision)} runs in when asked for {@code p}. */
    public static Precision effective(Precision p) {
        return FloatKernels.best() == null ? Precision.DOUBLE : p;
    }

    /** Why {@link Precision#SINGLE} runs as double here, or null when it does not. */
    public static String whySingleUnavailable() {
        return FloatKernels.whyUnavailable();
    }

    /** One line on the solver this JVM runs: its kernels and whether single precision is available (and why not). */
    public static String describe() {
        String why = DoubleKernels.whyPlain();
        String floats = FloatKernels.best() == null
                ? "single precision runs as double (" + FloatKernels.whyUnavailable() + ")"
                : "single precision on float kernels " + FloatKernels.best().name();
        return "divide and conquer on double kernels " + DoubleKernels.best().name() + (why == null ? "" : " (" + why + ")")
                + "; " + floats;
    }

    /** {@link #decompose(double[], int, EigenOrder)} in the given {@link Precision}. */
    public static EigenPairs decompose(double[] a, int n, EigenOrder order, Precision precision) {
        if (effective(precision) == Precision.DOUBLE) {
            return decompose(a, n, order);
        }
        checkSquare(a, n);
        try {
            return DenseSymmetricEigen.decomposeSingle(a, n, order, FloatKernels.best(), DoubleKernels.best());
        } catch (NotConvergedException notConverged) {
            return EjmlEigen.decompose(a, n, order);
        }
    }

    /** Eigenvalues only (tridiagonalisation and implicit QL: about a third of the full cost), sorted as asked. */
    public static double[] values(double[] a, int n, EigenOrder order) {
        return values(a, n, order, DoubleKernels.best());
    }

    public static double[] values(double[] a, int n, EigenOrder order, DoubleKernels kernels) {
        checkSquare(a, n);
        double[] v;
        try {
            v = DenseSymmetricEigen.values(a, n, kernels);
        } catch (NotConvergedException notConverged) {
            return EjmlEigen.values(a, n, order);
        }
        return ordered(v, order);
    }

    /** Values and the rows of {@code vectors} permuted into {@code order}, every vector sign-fixed. */
    static EigenPairs ordered(int n, double[] values, double[] vectors, EigenOrder order) {
        return ordered(n, values, order, (from, to, at) -> System.arraycopy(vectors, from, to, at, n));
    }

    /**
     * {@link #ordered(int, double[], double[], EigenOrder)} for float eigenvectors, widened as
     * they are copied (exactly, so the result is the same as widening first).
     */
    static EigenPairs ordered(int n, double[] values, float[] vectors, EigenOrder order) {
        return ordered(n, values, order, (from, to, at) -> {
            for (int r = 0; r < n; r++) {
                to[at + r] = vectors[from + r];
            }
        });
    }

    /** Copies the eigenvector stored from {@code from} into {@code to[at…]}. */
    private interface ColumnCopy {
        void copy(int from, double[] to, int at);
    }

    private static EigenPairs ordered(int n, double[] values, EigenOrder order, ColumnCopy column) {
        int[] perm = order.permutation(values);
        double[] v = new double[n];
        double[] vec = new double[n * n];
        for (int i = 0; i < n; i++) {
            v[i] = values[perm[i]];
            column.copy(perm[i] * n, vec, i * n);
            fixSign(vec, i * n, n);
        }
        return new EigenPairs(n, v, vec);
    }

    static double[] ordered(double[] values, EigenOrder order) {
        int[] perm = order.permutation(values);
        double[] out = new double[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[perm[i]];
        }
        return out;
    }

    /** Flips {@code x[from, from + n)} so that its component of largest magnitude is positive. */
    static void fixSign(double[] x, int from, int n) {
        int best = from;
        for (int j = from + 1; j < from + n; j++) {
            if (Math.abs(x[j]) > Math.abs(x[best])) {
                best = j;
            }
        }
        if (n > 0 && x[best] < 0) {
            for (int j = from; j < from + n; j++) {
                x[j] = -x[j];
            }
        }
    }

    static void checkSquare(double[] a, int n) {
        if (n < 0 || a.length != (long) n * n) {
            throw new IllegalArgumentException("expected a " + n + "×" + n + " matrix (" + (long) n * n
                    + " entries), got " + a.length + " entries");
        }
    }

    static void checkFinite(double[] a) {
        for (double x : a) {
            if (!Double.isFinite(x)) {
                throw new ArithmeticException("cannot eigendecompose a matrix with non-finite entries (" + x + ")");
            }
        }
    }
}
