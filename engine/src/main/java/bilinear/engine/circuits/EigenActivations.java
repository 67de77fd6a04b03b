package bilinear.engine.circuits;

import bilinear.linalg.Backend;
import bilinear.linalg.Tensor;
import bilinear.linalg.eigen.EigenPairs;
import bilinear.linalg.eigen.LeadingPairs;

/**
 * Projections of inputs onto eigenvectors: {@code p[t, i] = v_i·m_t}, so that eigenvector i
 * contributes {@code λ_i p[t, i]²} to the output direction at token t, and the top-k approximation
 * of the output is {@code Σ_{i<k} λ_i p[t, i]²} (eigenpairs largest |λ| first).
 */
public final class EigenActivations {
    private EigenActivations() {
    }

    /** {@code [N, k]} projections of the rows of {@code x [N, D]} on the first {@code k} eigenvectors, through the backend GEMM. */
    public static Tensor projections(EigenPairs e, int k, Tensor x, Backend backend) {
        return projections(e, 0, k, x, backend);
    }

    /** {@code [N, k]} projections on eigenvectors {@code first .. first + k − 1}. */
    public static Tensor projections(EigenPairs e, int first, int k, Tensor x, Backend backend) {
        return projections(e.vectors(), e.n(), first, k, x, backend);
    }

    /** {@code [N, k]} projections on the first {@code k} of the leading pairs. */
    public static Tensor projections(LeadingPairs e, int k, Tensor x, Backend backend) {
        if (k > e.count()) {
            throw new IllegalArgumentException("asked for " + k + " projections, only " + e.count() + " leading pairs");
        }
        return projections(e.vectors(), e.n(), 0, k, x, backend);
    }

    /** Eigenvectors are rows of {@code vectors [·, d]}. */
    private static Tensor projections(double[] vectors, int d, int first, int k, Tensor x, Backend backend) {
        Tensor v = Tensor.zeros(k, d);
        for (int i = 0; i < k * d; i++) {
            v.data()[i] = (float) vectors[first * d + i];
        }
        Tensor p = Tensor.zeros(x.rows(), k);
        backend.gemm(false, true, 1f, x, v, 0f, p);
        return p;
    }

    /** {@code approx[k − 1][t] = Σ_{i<k} λ_i p[t, i]²} for k = 1..K. */
    public static double[][] cumulative(EigenPairs e, Tensor p) {
        return cumulative(e.values(), p);
    }

    /** As above with the eigenvalues alone (largest |λ| first), e.g. {@link LeadingPairs#values()}. */
    public static double[][] cumulative(double[] values, Tensor p) {
        int n = p.rows(), kmax = p.cols();
        double[][] out = new double[kmax][n];
        for (int t = 0; t < n; t++) {
            double s = 0;
            for (int i = 0; i < kmax; i++) {
                double q = p.data()[t * kmax + i];
                s += values[i] * q * q;
                out[i][t] = s;
            }
        }
        return out;
    }

    /** Pearson correlation (NaN when either side is constant). */
    public static double correlation(double[] a, double[] b) {
        int n = a.length;
        double ma = 0, mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= n;
        mb /= n;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < n; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return saa == 0 || sbb == 0 ? Double.NaN : sab / Math.sqrt(saa * sbb);
    }
}
