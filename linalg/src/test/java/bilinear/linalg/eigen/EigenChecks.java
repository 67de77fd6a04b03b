package bilinear.linalg.eigen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bilinear.linalg.CounterRng;
import java.util.Arrays;

/**
 * Test matrices with known structure and the checks every eigensolver must pass: residual
 * {@code ‖A v − λ v‖}, orthonormality, and agreement with EJML's eigenvalues. Bounds are in units
 * of {@code ε·‖A‖} (ε = 2⁻⁵²) so one table fits every size and scale.
 */
final class EigenChecks {
    private EigenChecks() {
    }

    static final double EPS = Math.ulp(1.0);

    /** A seeded symmetric Gaussian matrix {@code (G + Gᵀ)/2}, row-major. */
    static double[] gaussian(long seed, int n) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double g = CounterRng.gaussian(seed, i * n + j);
                a[i * n + j] = g;
                a[j * n + i] = g;
            }
        }
        return a;
    }

    /** A seeded orthogonal matrix (rows orthonormal), by Gram–Schmidt twice on Gaussian rows. */
    static double[] orthogonal(long seed, int n) {
        double[] q = new double[n * n];
        for (int i = 0; i < n * n; i++) {
            q[i] = CounterRng.gaussian(seed, i);
        }
        for (int i = 0; i < n; i++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j < i; j++) {
                    double dot = 0;
                    for (int c = 0; c < n; c++) {
                        dot += q[i * n + c] * q[j * n + c];
                    }
                    for (int c = 0; c < n; c++) {
                        q[i * n + c] -= dot * q[j * n + c];
                    }
                }
            }
            double norm = 0;
            for (int c = 0; c < n; c++) {
                norm += q[i * n + c] * q[i * n + c];
            }
            norm = Math.sqrt(norm);
            for (int c = 0; c < n; c++) {
                q[i * n + c] /= norm;
            }
        }
        return q;
    }

    /** {@code Σ_k λ_k q_k q_kᵀ} for the rows {@code q_k} of an orthogonal matrix: a matrix with spectrum λ. */
    static double[] withSpectrum(double[] lambda, long seed) {
        int n = lambda.length;
        double[] q = orthogonal(seed, n);
        double[] a = new double[n * n];
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < n; i++) {
                double s = lambda[k] * q[k * n + i];
                for (int j = 0; j < n; j++) {
                    a[i * n + j] += s * q[k * n + j];
                }
            }
        }
        symmetrize(a, n);
        return a;
    }

    /** A rank-{@code r} matrix {@code Σ_{k<r} s_k g_k g_kᵀ} with mixed signs, like {@code Q(u)} of a narrow layer. */
    static double[] lowRank(long seed, int n, int r) {
        double[] a = new double[n * n];
        for (int k = 0; k < r; k++) {
            double sign = k % 2 == 0 ? 1 : -1;
            double[] g = new double[n];
            for (int i = 0; i < n; i++) {
                g[i] = CounterRng.gaussian(seed + k, i);
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    a[i * n + j] += sign * g[i] * g[j];
                }
            }
        }
        symmetrize(a, n);
        return a;
    }

    static void symmetrize(double[] a, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double s = 0.5 * (a[i * n + j] + a[j * n + i]);
                a[i * n + j] = s;
                a[j * n + i] = s;
            }
        }
    }

    static double norm1(double[] a, int n) {
        double best = 0;
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += Math.abs(a[i * n + j]);
            }
            best = Math.max(best, s);
        }
        return best;
    }

    /**
     * Asserts that {@code (values, rows of vectors)} are eigenpairs of A: residual
     * {@code max_i ‖A v_i − λ_i v_i‖ ≤ bound·ε·‖A‖₁} and {@code max |VVᵀ − I| ≤ bound·ε}, and
     * that the values match {@code reference} (any order) within {@code bound·ε·‖A‖₁}.
     */
    static void assertEigenpairs(String what, double[] a, int n, double[] values, double[] vectors, double[] reference, double bound) {
        double anorm = Math.max(norm1(a, n), Double.MIN_NORMAL);
        double worstResidual = 0, worstOrtho = 0;
        for (int k = 0; k < n; k++) {
            double r2 = 0;
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += a[i * n + j] * vectors[k * n + j];
                }
                double r = (s - values[k] * vectors[k * n + i]) / anorm;
                r2 += r * r;
            }
            worstResidual = Math.max(worstResidual, Math.sqrt(r2));
            for (int l = 0; l <= k; l++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += vectors[k * n + i] * vectors[l * n + i];
                }
                worstOrtho = Math.max(worstOrtho, Math.abs(dot - (k == l ? 1 : 0)));
            }
        }
        assertTrue(worstResidual <= bound * EPS, what + ": residual ‖Av − λv‖/‖A‖ = " + worstResidual / EPS + " ε");
        assertTrue(worstOrtho <= bound * EPS, what + ": |VᵀV − I| = " + worstOrtho / EPS + " ε");
        if (reference != null) {
            double[] ours = values.clone(), ref = reference.clone();
            Arrays.sort(ours);
            Arrays.sort(ref);
            for (int i = 0; i < n; i++) {
                assertEquals(ref[i], ours[i], bound * EPS * anorm, what + ": eigenvalue " + i);
            }
        }
    }

    /** EJML's eigenvalues, the reference. */
    static double[] ejmlValues(double[] a, int n) {
        return EjmlEigen.values(a, n, EigenOrder.ASCENDING);
    }
}
