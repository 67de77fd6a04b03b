package bilinear.linalg.eigen;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Eigendecomposition of a real symmetric matrix, {@code A = Σ_i λ_i v_i v_iᵀ}, through EJML's
 * {@code DecompositionFactory_DDRM.eig(n, needVectors, symmetric = true)} (tridiagonal reduction +
 * implicit QR), in double precision even when the matrix came from float32 weights: it costs the
 * same and gives eigenpairs good to about 1e-15 relative to the largest |λ|.
 *
 * <p>What the facade adds to EJML: the input is never modified (copied when EJML would overwrite
 * it), a failed decomposition is an exception rather than a {@code false} return, the eigenpairs
 * come back sorted as asked, and every eigenvector has a deterministic sign (its component of
 * largest magnitude is positive; the first such component on exact ties). No EJML type leaks out:
 * matrices are row-major {@code double[]}.
 */
public final class SymmetricEigen {
    private SymmetricEigen() {
    }

    /**
     * The full decomposition of the {@code n × n} symmetric matrix {@code a} (row-major, length
     * {@code n·n}; only symmetric input is meaningful: the caller symmetrizes). Eigenvalues are
     * real; eigenvectors orthonormal.
     */
    public static EigenPairs decompose(double[] a, int n, EigenOrder order) {
        checkSquare(a, n);
        if (n == 0) {
            return new EigenPairs(n, new double[0], new double[0]);
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        run(eig, a, n);
        double[] values = new double[n];
        double[] vectors = new double[n * n];
        for (int i = 0; i < n; i++) {
            values[i] = eig.getEigenvalue(i).real;
            DMatrixRMaj v = eig.getEigenVector(i);
            if (v == null) {
                throw new ArithmeticException("EJML returned no eigenvector " + i + " of a " + n + "×" + n + " matrix");
            }
            System.arraycopy(v.data, 0, vectors, i * n, n);
            fixSign(vectors, i * n, n);
        }
        return sorted(n, values, vectors, order);
    }

    /** Eigenvalues only (2–3× faster than with vectors), sorted as asked. */
    public static double[] values(double[] a, int n, EigenOrder order) {
        checkSquare(a, n);
        if (n == 0) {
            return new double[0];
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false, true);
        run(eig, a, n);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = eig.getEigenvalue(i).real;
        }
        int[] perm = order.permutation(values);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = values[perm[i]];
        }
        return out;
    }

    private static void run(EigenDecomposition_F64<DMatrixRMaj> eig, double[] a, int n) {
        for (double x : a) {
            if (!Double.isFinite(x)) {
                throw new ArithmeticException("cannot eigendecompose a matrix with non-finite entries (" + x + ")");
            }
        }
        DMatrixRMaj m = DMatrixRMaj.wrap(n, n, eig.inputModified() ? a.clone() : a);
        if (!eig.decompose(m)) {
            throw new ArithmeticException("EJML's symmetric eigendecomposition did not converge on a " + n + "×" + n + " matrix");
        }
    }

    private static EigenPairs sorted(int n, double[] values, double[] vectors, EigenOrder order) {
        int[] perm = order.permutation(values);
        double[] v = new double[n];
        double[] vec = new double[n * n];
        for (int i = 0; i < n; i++) {
            v[i] = values[perm[i]];
            System.arraycopy(vectors, perm[i] * n, vec, i * n, n);
        }
        return new EigenPairs(n, v, vec);
    }

    /** Flips {@code x[from, from + n)} so that its component of largest magnitude is positive. */
    static void fixSign(double[] x, int from, int n) {
        int best = from;
        for (int j = from + 1; j < from + n; j++) {
            if (Math.abs(x[j]) > Math.abs(x[best])) {
                best = j;
            }
        }
        if (x[best] < 0) {
            for (int j = from; j < from + n; j++) {
                x[j] = -x[j];
            }
        }
    }

    private static void checkSquare(double[] a, int n) {
        if (n < 0 || a.length != (long) n * n) {
            throw new IllegalArgumentException("expected a " + n + "×" + n + " matrix (" + (long) n * n
                    + " entries), got " + a.length + " entries");
        }
    }
}
