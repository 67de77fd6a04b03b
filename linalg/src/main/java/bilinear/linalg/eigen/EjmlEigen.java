package bilinear.linalg.eigen;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The reference eigensolver: EJML's {@code DecompositionFactory_DDRM.eig(n, needVectors,
 * symmetric = true)} (tridiagonal reduction and implicit QR), in double precision. The fast solver
 * behind {@link SymmetricEigen} is tested against it and falls back to it if it ever fails to
 * converge. Same conventions as {@link SymmetricEigen}: the input is never modified, eigenpairs
 * come back in the asked order with deterministic signs, a failure is an exception.
 */
public final class EjmlEigen {
    private EjmlEigen() {
    }

    public static EigenPairs decompose(double[] a, int n, EigenOrder order) {
        SymmetricEigen.checkSquare(a, n);
        SymmetricEigen.checkFinite(a);
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
        }
        return SymmetricEigen.ordered(n, values, vectors, order);
    }

    public static double[] values(double[] a, int n, EigenOrder order) {
        SymmetricEigen.checkSquare(a, n);
        SymmetricEigen.checkFinite(a);
        if (n == 0) {
            return new double[0];
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false, true);
        run(eig, a, n);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = eig.getEigenvalue(i).real;
        }
        return SymmetricEigen.ordered(values, order);
    }

    private static void run(EigenDecomposition_F64<DMatrixRMaj> eig, double[] a, int n) {
        DMatrixRMaj m = DMatrixRMaj.wrap(n, n, eig.inputModified() ? a.clone() : a);
        if (!eig.decompose(m)) {
            throw new ArithmeticException("EJML's symmetric eigendecomposition did not converge on a " + n + "×" + n + " matrix");
        }
    }
}
