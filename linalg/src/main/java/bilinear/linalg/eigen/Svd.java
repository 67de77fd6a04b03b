package bilinear.linalg.eigen;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Thin singular value decomposition {@code A = U·diag(σ)·Vᵀ} of a row-major {@code m × n}
 * matrix through EJML, in double precision; and the Moore–Penrose pseudo-inverse built on it.
 * Singular values come back in decreasing order; each pair {@code (u_i, v_i)} is signed so that
 * the largest-magnitude component of {@code u_i} is positive (the product {@code u_i v_iᵀ} is
 * what matters, so flipping both is free). The input is never modified.
 */
public final class Svd {
    private Svd() {
    }

    /**
     * {@code r = min(m, n)} singular triplets: {@code u [m, r]} (columns are left singular
     * vectors, row-major), {@code sigma [r]}, {@code vt [r, n]} (rows are right singular vectors).
     */
    public record Result(int rows, int cols, double[] u, double[] sigma, double[] vt) {
        public int rank() {
            return sigma.length;
        }
    }

    public static Result decompose(double[] a, int m, int n) {
        if (m < 0 || n < 0 || a.length != (long) m * n) {
            throw new IllegalArgumentException("expected an " + m + "×" + n + " matrix, got " + a.length + " entries");
        }
        for (double x : a) {
            if (!Double.isFinite(x)) {
                throw new ArithmeticException("cannot take the SVD of a matrix with non-finite entries (" + x + ")");
            }
        }
        int r = Math.min(m, n);
        if (r == 0) {
            return new Result(m, n, new double[0], new double[0], new double[0]);
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(m, n, true, true, true);
        DMatrixRMaj mat = DMatrixRMaj.wrap(m, n, svd.inputModified() ? a.clone() : a);
        if (!svd.decompose(mat)) {
            throw new ArithmeticException("EJML's SVD did not converge on a " + m + "×" + n + " matrix");
        }
        DMatrixRMaj u = svd.getU(null, false);       // [m, r]
        DMatrixRMaj vt = svd.getV(null, true);       // [r, n]
        DMatrixRMaj w = svd.getW(null);              // [r, r] diagonal
        SingularOps_DDRM.descendingOrder(u, false, w, vt, true);
        double[] sigma = new double[r];
        for (int i = 0; i < r; i++) {
            sigma[i] = w.get(i, i);
        }
        double[] uu = u.data.clone(), vv = vt.data.clone();
        for (int i = 0; i < r; i++) {
            int best = 0;
            for (int row = 1; row < m; row++) {
                if (Math.abs(uu[row * r + i]) > Math.abs(uu[best * r + i])) {
                    best = row;
                }
            }
            if (uu[best * r + i] < 0) {
                for (int row = 0; row < m; row++) {
                    uu[row * r + i] = -uu[row * r + i];
                }
                for (int col = 0; col < n; col++) {
                    vv[i * n + col] = -vv[i * n + col];
                }
            }
        }
        return new Result(m, n, uu, sigma, vv);
    }

    /**
     * The pseudo-inverse {@code A⁺ = V·diag(1/σ)·Uᵀ} of an {@code m × n} matrix, {@code [n, m]}
     * row-major. Singular values at or below {@code rcond·σ_max} count as zero (NumPy's and
     * PyTorch's {@code pinv} convention), so a rank-deficient stack does not blow up.
     */
    public static double[] pseudoInverse(double[] a, int m, int n, double rcond) {
        Result s = decompose(a, m, n);
        int r = s.rank();
        double cutoff = r == 0 ? 0 : rcond * s.sigma()[0];
        double[] pinv = new double[n * m];
        for (int k = 0; k < r; k++) {
            double sk = s.sigma()[k];
            if (sk <= cutoff || sk == 0) {
                continue;
            }
            double inv = 1 / sk;
            for (int i = 0; i < n; i++) {
                double vik = s.vt()[k * n + i] * inv;
                if (vik == 0) {
                    continue;
                }
                for (int j = 0; j < m; j++) {
                    pinv[i * m + j] += vik * s.u()[j * r + k];
                }
            }
        }
        return pinv;
    }
}
