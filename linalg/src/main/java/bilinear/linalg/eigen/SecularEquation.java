package bilinear.linalg.eigen;

/**
 * Roots of the secular equation of a rank-one update {@code D + ρ z zᵀ} (LAPACK's {@code dlaed4}):
 *
 * <pre>
 *   f(λ) = 1/ρ + Σ_j z_j² / (d_j − λ) = 0,     d_0 &lt; d_1 &lt; … &lt; d_{k−1},  ρ &gt; 0,  z_j ≠ 0,  ‖z‖ ≤ 1
 *   root i lies in (d_i, d_{i+1}) for i &lt; k−1, and in (d_{k−1}, d_{k−1} + ρ‖z‖²] for the last one
 * </pre>
 * f is increasing between its poles. Each root is found relative to the pole it is closer to
 * ({@code λ = d_origin + τ}), so the differences {@code δ_j = d_j − λ = (d_j − d_origin) − τ}
 * that the eigenvectors are built from keep full relative accuracy even when λ is a hair away from
 * a pole. The iteration is Li's "middle way": f is modelled by two poles (the ones around the
 * root) plus a constant fitted to the value and slope at the current point, and the model's root
 * is the next iterate; a "fixed weight" variant takes over when progress stalls, a Newton step
 * when the model's step has the wrong sign, and a bisection step whenever an iterate would leave
 * the bracket kept around the root. It stops when {@code |f|} is below the rounding error of its
 * own evaluation, the test {@code dlaed4} uses. The O(k) sums of each step (one division per pole,
 * the bulk of the cost) run in {@link DoubleKernels#secularSums}. The unit roundoff in that test
 * is the caller's: a tridiagonal known only to single precision needs its roots only to that,
 * which saves about one iteration per root.
 */
final class SecularEquation {
    private SecularEquation() {
    }

    private static final double EPS = Math.ulp(1.0) / 2;
    private static final int MAX_ITERATIONS = 80;

    /**
     * Root {@code i} of the {@code k}-term equation (k ≥ 2), to the unit roundoff {@code eps}
     * (double's, {@link TridiagonalEigen#DOUBLE}, or a coarser one); writes
     * {@code δ_j = d_j − λ_i} to {@code delta[off + j]} and returns {@code λ_i}. Throws
     * {@link NotConvergedException} if it does not converge (not seen in practice; the caller
     * then falls back to another solver).
     */
    static double root(int k, int i, double[] d, double[] z, double rho, double[] delta, int off, DoubleKernels kernels,
                       double eps) {
        double[] sums = new double[6];
        return i == k - 1 ? lastRoot(k, d, z, rho, delta, off, kernels, sums, eps)
                : innerRoot(k, i, d, z, rho, delta, off, kernels, sums, eps);
    }

    private static double innerRoot(int k, int i, double[] d, double[] z, double rho, double[] delta, int off,
                                    DoubleKernels kernels, double[] sums, double eps) {
        double rhoinv = 1 / rho;
        int ip1 = i + 1;
        double del = d[ip1] - d[i], midpt = del / 2;
        // f at the midpoint decides which pole is nearer, and so the origin.
        for (int j = 0; j < k; j++) {
            delta[off + j] = (d[j] - d[i]) - midpt;
        }
        kernels.secularSums(k, i, 0, z, delta, off, sums);
        double zi2 = z[i] * z[i], zip2 = z[ip1] * z[ip1];
        double termI = zi2 / (-midpt), termIp1 = zip2 / (del - midpt);
        double w = rhoinv + sums[0] + sums[3] + termI;
        double psi, phi;
        double c = w - termI - termIp1;                 // 1/ρ + the terms of all the other poles
        boolean orgati = w > 0;
        double tau, lb, ub;
        if (orgati) {                                   // d_i < λ ≤ midpoint: origin d_i
            double a = c * del + zi2 + zip2, b = zi2 * del;
            tau = a > 0 ? 2 * b / (a + Math.sqrt(Math.abs(a * a - 4 * b * c)))
                    : (a - Math.sqrt(Math.abs(a * a - 4 * b * c))) / (2 * c);
            lb = 0;
            ub = midpt;
        } else {                                        // midpoint < λ < d_{i+1}: origin d_{i+1}
            double a = c * del - zi2 - zip2, b = zip2 * del;
            tau = a < 0 ? 2 * b / (a - Math.sqrt(Math.abs(a * a + 4 * b * c)))
                    : -(a + Math.sqrt(Math.abs(a * a + 4 * b * c))) / (2 * c);
            lb = -midpt;
            ub = 0;
        }
        if (!(tau >= lb && tau <= ub)) {
            tau = (lb + ub) / 2;
        }
        int ii = orgati ? i : ip1;
        double origin = d[ii];
        for (int j = 0; j < k; j++) {
            delta[off + j] = (d[j] - origin) - tau;
        }
        boolean swtch = false;
        double prew = 0, eta = 0;
        for (int iter = 0; ; iter++) {
            // δ −= η, then ψ (poles below the origin), φ (above) and their derivatives.
            kernels.secularSums(k, ii, eta, z, delta, off, sums);
            tau += eta;
            psi = sums[0];
            double dpsi = sums[1];
            phi = sums[3];
            double dphi = sums[4];
            double erretm = sums[2] + sums[5];
            double t = z[ii] / delta[off + ii];
            double dw = dpsi + dphi + t * t;
            double term = z[ii] * t;
            w = rhoinv + phi + psi + term;
            erretm = 8 * (phi - psi) + erretm + 2 * rhoinv + 3 * Math.abs(term) + Math.abs(tau) * dw;
            if (Math.abs(w) <= eps * erretm || ub - lb <= 4 * eps * Math.max(Math.abs(lb), Math.abs(ub))) {
                return origin + tau;
            }
            if (iter >= MAX_ITERATIONS) {
                throw new NotConvergedException("the secular equation did not converge (root " + i + " of " + k + ")");
            }
            if (iter > 0 && w * prew > 0 && Math.abs(w) > Math.abs(prew) / 10) {
                swtch = !swtch;
            }
            if (w <= 0) {
                lb = Math.max(lb, tau);
            } else {
                ub = Math.min(ub, tau);
            }
            double di = delta[off + i], dip1 = delta[off + ip1];
            double cc;
            if (!swtch) {
                cc = orgati ? w - dip1 * dw - (d[i] - d[ip1]) * sq(z[i] / di)
                        : w - di * dw - (d[ip1] - d[i]) * sq(z[ip1] / dip1);
            } else {                                    // fixed weight: the origin's own term joins its side
                if (orgati) {
                    dpsi += t * t;
                } else {
                    dphi += t * t;
                }
                cc = w - di * dpsi - dip1 * dphi;
            }
            double a = (di + dip1) * w - di * dip1 * dw;
            double b = di * dip1 * w;
            if (cc == 0) {
                if (a == 0) {
                    a = !swtch ? (orgati ? z[i] * z[i] + dip1 * dip1 * (dpsi + dphi) : z[ip1] * z[ip1] + di * di * (dpsi + dphi))
                            : (orgati ? z[i] * z[i] + dip1 * dip1 * dphi : z[ip1] * z[ip1] + di * di * dpsi);
                }
                eta = b / a;
            } else if (a <= 0) {
                eta = (a - Math.sqrt(Math.abs(a * a - 4 * b * cc))) / (2 * cc);
            } else {
                eta = 2 * b / (a + Math.sqrt(Math.abs(a * a - 4 * b * cc)));
            }
            if (w * eta >= 0 || !Double.isFinite(eta)) {
                eta = -w / dw;                          // Newton, which always moves the right way
            }
            double next = tau + eta;
            if (!(next <= ub && next >= lb)) {
                eta = w < 0 ? (ub - tau) / 2 : (lb - tau) / 2;
            }
            prew = w;
        }
    }

    private static double lastRoot(int k, double[] d, double[] z, double rho, double[] delta, int off,
                                   DoubleKernels kernels, double[] sums, double eps) {
        double rhoinv = 1 / rho;
        int n1 = k - 1, n2 = k - 2;
        double zz = 0;
        for (int j = 0; j < k; j++) {
            zz += z[j] * z[j];
        }
        double bound = rho * zz * (1 + 4 * EPS * k);   // λ_last − d_{k−1} ≤ ρ‖z‖²
        double midpt = bound / 2, origin = d[n1];
        for (int j = 0; j < k; j++) {
            delta[off + j] = (d[j] - origin) - midpt;
        }
        kernels.secularSums(k, n1, 0, z, delta, off, sums);
        double zn2 = z[n2] * z[n2], zn1 = z[n1] * z[n1];
        double termN2 = zn2 / delta[off + n2];
        double w = rhoinv + sums[0] + zn1 / (-midpt);
        double psi;
        double c = rhoinv + sums[0] - termN2;          // 1/ρ + the terms of the poles below the last two
        double del = d[n1] - d[n2];
        double a = -c * del + zn2 + zn1, b = zn1 * del;
        double tau, lb, ub;
        if (w <= 0) {                                   // the root is in the upper half of the bracket
            double atBound = zn2 / (del + bound) + zn1 / bound;
            tau = c <= atBound ? bound : a < 0 ? 2 * b / (Math.sqrt(a * a + 4 * b * c) - a) : (a + Math.sqrt(a * a + 4 * b * c)) / (2 * c);
            lb = midpt;
            ub = bound;
        } else {
            tau = a < 0 ? 2 * b / (Math.sqrt(a * a + 4 * b * c) - a) : (a + Math.sqrt(a * a + 4 * b * c)) / (2 * c);
            lb = 0;
            ub = midpt;
        }
        if (!(tau >= lb && tau <= ub)) {
            tau = (lb + ub) / 2;
        }
        for (int j = 0; j < k; j++) {
            delta[off + j] = (d[j] - origin) - tau;
        }
        double eta = 0;
        for (int iter = 0; ; iter++) {
            kernels.secularSums(k, n1, eta, z, delta, off, sums);
            tau += eta;
            psi = sums[0];
            double dpsi = sums[1], erretm = sums[2];
            double t = z[n1] / delta[off + n1];
            double phi = z[n1] * t, dphi = t * t;
            erretm = 8 * (-phi - psi) + erretm - phi + rhoinv + Math.abs(tau) * (dpsi + dphi);
            w = rhoinv + phi + psi;
            if (Math.abs(w) <= eps * erretm || ub - lb <= 4 * eps * Math.max(Math.abs(lb), Math.abs(ub))) {
                return origin + tau;
            }
            if (iter >= MAX_ITERATIONS) {
                throw new NotConvergedException("the secular equation did not converge (last root of " + k + ")");
            }
            if (w <= 0) {
                lb = Math.max(lb, tau);
            } else {
                ub = Math.min(ub, tau);
            }
            double dn2 = delta[off + n2], dn1 = delta[off + n1];
            double cc = Math.abs(w - dn2 * dpsi - dn1 * dphi);
            double aa = (dn2 + dn1) * w - dn2 * dn1 * (dpsi + dphi);
            double bb = dn2 * dn1 * w;
            if (cc == 0) {
                eta = ub - tau;
            } else if (aa >= 0) {
                eta = (aa + Math.sqrt(Math.abs(aa * aa - 4 * bb * cc))) / (2 * cc);
            } else {
                eta = 2 * bb / (aa - Math.sqrt(Math.abs(aa * aa - 4 * bb * cc)));
            }
            if (w * eta > 0 || !Double.isFinite(eta)) {
                eta = -w / (dpsi + dphi);
            }
            double next = tau + eta;
            if (!(next <= ub && next >= lb)) {
                eta = w < 0 ? (ub - tau) / 2 : (lb - tau) / 2;
            }
        }
    }

    private static double sq(double x) {
        return x * x;
    }
}
