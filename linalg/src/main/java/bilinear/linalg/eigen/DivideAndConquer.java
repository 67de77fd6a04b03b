package bilinear.linalg.eigen;

/**
 * Cuppen's divide and conquer for the eigenvectors of an unreduced symmetric tridiagonal matrix,
 * as in LAPACK's {@code dlaed0} … {@code dlaed3} (Gu and Eisenstat's stable form).
 *
 * <pre>
 *   divide:  T = diag(T₁, T₂) + β (e_c ± e_{c+1})(e_c ± e_{c+1})ᵀ   (β = e[c] torn out of T₁'s last and T₂'s first diagonal)
 *   conquer: T₁ = Q₁ D₁ Q₁ᵀ, T₂ = Q₂ D₂ Q₂ᵀ  (recursively; leaves by implicit QL)
 *   merge:   T = diag(Q₁, Q₂) · (D + ρ z zᵀ) · diag(Q₁, Q₂)ᵀ,   z = (last row of Q₁, ± first row of Q₂)/√2
 *            D + ρ z zᵀ = U Λ Uᵀ (secular equation), eigenvectors of T: diag(Q₁, Q₂)·U, one GEMM per half
 * </pre>
 * Deflation keeps the merges cheap and the result orthogonal: a component {@code ρ|z_j|} below the
 * tolerance leaves {@code (d_j, e_j)} as an eigenpair, and two poles closer than the tolerance are
 * rotated so one of them does. The secular equation's eigenvectors are built from recomputed
 * {@code ẑ} (Gu–Eisenstat: the exact eigenvectors of a nearby problem), which is what makes them
 * numerically orthogonal without any reorthogonalisation. Columns are grouped by where their
 * nonzeros are (upper half only, both, lower half only) so the GEMMs skip the zero blocks.
 */
final class DivideAndConquer {
    /** Largest subproblem solved directly by implicit QL. */
    static final int LEAF = 32;

    private static final int UPPER = 0, BOTH = 1, LOWER = 2, DEFLATED = 3;

    private final int n;
    private final double[] d;
    private final double[] e;
    private final double[] q;                   // [n, n] column-major, the eigenvectors being built
    private final DoubleKernels k;
    /** The unit roundoff the tridiagonal is known to, which sets the deflation tolerance. */
    private final double eps;
    /**
     * When not null (a tridiagonal from the single-precision reduction), the merges' products
     * run in float on these kernels, through the float copies {@link #q2f}, {@link #uf} and
     * {@link #productf}: their rounding is of the order the tridiagonal already carries, and a
     * float GEMM does twice the flops per cycle of a double one.
     */
    private final FloatKernels floats;
    private final float[] q2f, uf, productf;
    private final int[] indxq;                  // per subproblem: indxq[j] = local column of its j-th smallest value
    // Workspace for one merge, sized for the largest.
    private final double[] q2, u, dlamda, w, z, zsave;
    private final int[] indx, indxc, indxp, coltyp;

    private DivideAndConquer(double[] d, double[] e, int n, double[] q, DoubleKernels kernels, FloatKernels floats,
                             Workspace ws, double eps) {
        this.n = n;
        this.eps = eps;
        this.floats = floats;
        Workspace.Single single = floats == null ? null : ws.single();
        q2f = single == null ? null : single.packed;
        uf = single == null ? null : single.secular;
        productf = single == null ? null : single.vectors;
        this.d = d;
        this.e = e;
        this.q = q;
        this.k = kernels;
        indxq = new int[n];
        q2 = ws.packed;
        u = ws.secular;
        dlamda = new double[n];
        w = new double[n];
        z = new double[n];
        zsave = new double[n];
        indx = new int[n];
        indxc = new int[n];
        indxp = new int[n];
        coltyp = new int[n];
    }

    /**
     * Eigenvalues (into {@code d}) and eigenvectors (the matching columns of {@code q}, column-major
     * {@code [n, n]}, zero on entry) of the tridiagonal {@code (d, e)}, in no particular order (the
     * caller sorts once, in the order it wants). {@code e} is destroyed; {@code ws} provides two
     * {@code n²} scratch arrays. {@code eps} is the unit roundoff of the arithmetic that produced
     * the tridiagonal ({@link TridiagonalEigen#DOUBLE} or {@link TridiagonalEigen#SINGLE}):
     * deflating below that costs no accuracy the input had, and every deflated column is a column
     * the merge's GEMM skips. The leaves' QL and the secular equation's roots stop at it too
     * (for a single-precision tridiagonal, ten matrices of 512: secular roots 22 → 18 ms). Given
     * {@code floats}, the merges' products run in float on them, in {@code ws}'s single-precision
     * arrays (its single-precision vectors among them, which the caller fills only afterwards).
     */
    static void solve(double[] d, double[] e, int n, double[] q, DoubleKernels kernels, FloatKernels floats,
                      Workspace ws, double eps) {
        new DivideAndConquer(d, e, n, q, kernels, floats, ws, eps).run();
    }

    private void run() {
        // Subproblem boundaries: halve until every piece is a leaf.
        int[] sizes = {n};
        while (max(sizes) > LEAF) {
            int[] next = new int[sizes.length * 2];
            for (int j = 0; j < sizes.length; j++) {
                next[2 * j] = sizes[j] / 2;
                next[2 * j + 1] = (sizes[j] + 1) / 2;
            }
            sizes = next;
        }
        int parts = sizes.length;
        int[] start = new int[parts + 1];
        for (int j = 0; j < parts; j++) {
            start[j + 1] = start[j] + sizes[j];
        }
        // Divide: tear out the coupling at every boundary.
        for (int j = 1; j < parts; j++) {
            int c = start[j];
            double b = Math.abs(e[c - 1]);
            d[c - 1] -= b;
            d[c] -= b;
        }
        for (int j = 0; j < parts; j++) {
            leaf(start[j], start[j + 1] - start[j]);
        }
        // Conquer: merge neighbours level by level.
        while (parts > 1) {
            int[] merged = new int[parts / 2 + 1];
            for (int j = 0; j < parts; j += 2) {
                merge(start[j], start[j + 2] - start[j], start[j + 1] - start[j], e[start[j + 1] - 1]);
                merged[j / 2 + 1] = start[j + 2];
            }
            start = merged;
            parts /= 2;
        }
    }

    private static int max(int[] a) {
        int m = 0;
        for (int x : a) {
            m = Math.max(m, x);
        }
        return m;
    }

    /** A leaf: implicit QL with vectors into the diagonal block, already sorted. */
    private void leaf(int s, int m) {
        double[] dd = new double[m], ee = new double[Math.max(0, m - 1)];
        System.arraycopy(d, s, dd, 0, m);
        System.arraycopy(e, s, ee, 0, m - 1);
        for (int j = 0; j < m; j++) {
            q[(s + j) + (s + j) * n] = 1;
        }
        TridiagonalQl.solve(dd, ee, m, q, s + s * n, n, m, 2 * eps);
        System.arraycopy(dd, 0, d, s, m);
        for (int j = 0; j < m; j++) {
            indxq[s + j] = j;
        }
    }

    private int at(int o, int row, int col) {
        return (o + row) + (o + col) * n;
    }

    /**
     * {@code dlaed1}: merges the solved halves {@code [o, o+n1)} and {@code [o+n1, o+nm)} coupled by
     * {@code beta}. On return {@code d[o..o+nm)} and the block's columns hold the merged eigenpairs
     * (non-deflated first, then deflated) and {@code indxq[o..]} their ascending order.
     */
    private void merge(int o, int nm, int n1, double beta) {
        for (int j = 0; j < n1; j++) {
            z[j] = q[at(o, n1 - 1, j)];
        }
        for (int j = n1; j < nm; j++) {
            z[j] = q[at(o, n1, j)];
        }
        int kk = deflate(o, nm, n1, beta);
        if (kk > 0) {
            secularAndVectors(o, nm, n1, kk, Math.abs(2 * beta));
            // Ascending order: the first kk values ascend, the deflated ones descend.
            int a = 0, b = nm - 1;
            for (int i = 0; i < nm; i++) {
                if (a < kk && (b < kk || d[o + a] <= d[o + b])) {
                    indxq[o + i] = a++;
                } else {
                    indxq[o + i] = b--;
                }
            }
        } else {
            for (int i = 0; i < nm; i++) {
                indxq[o + i] = i;
            }
        }
    }

    /**
     * {@code dlaed2}: sorts the poles, deflates, packs the surviving columns of the block by type
     * into {@link #q2} and writes the deflated eigenpairs to the block's last columns. Returns the
     * size k of the secular problem ({@link #dlamda}, {@link #w}; {@link #indxc} maps type order to
     * sorted order, {@link #coltyp}'s first four entries become the counts per type).
     */
    private int deflate(int o, int nm, int n1, double beta) {
        int n2 = nm - n1;
        if (beta < 0) {
            for (int j = n1; j < nm; j++) {
                z[j] = -z[j];
            }
        }
        double r2 = 1 / Math.sqrt(2);
        for (int j = 0; j < nm; j++) {
            z[j] *= r2;
        }
        double rho = Math.abs(2 * beta);
        for (int i = n1; i < nm; i++) {
            indxq[o + i] += n1;
        }
        for (int i = 0; i < nm; i++) {
            dlamda[i] = d[o + indxq[o + i]];
        }
        // Merge the two ascending lists; indx[i] = block column of the i-th smallest pole.
        for (int i = 0, a = 0, b = n1; i < nm; i++) {
            int src = (b >= nm || (a < n1 && dlamda[a] <= dlamda[b])) ? a++ : b++;
            indx[i] = indxq[o + src];
        }
        double zmax = 0, dmax = 0;
        for (int i = 0; i < nm; i++) {
            zmax = Math.max(zmax, Math.abs(z[i]));
            dmax = Math.max(dmax, Math.abs(d[o + i]));
        }
        double tol = 8 * eps * Math.max(dmax, zmax);
        if (rho * zmax <= tol) {                       // everything deflates: just sort the block
            for (int j = 0; j < nm; j++) {
                int i = indx[j];
                System.arraycopy(q, at(o, 0, i), q2, j * nm, nm);
                zsave[j] = d[o + i];
            }
            for (int j = 0; j < nm; j++) {
                System.arraycopy(q2, j * nm, q, at(o, 0, j), nm);
                d[o + j] = zsave[j];
            }
            return 0;
        }
        for (int i = 0; i < nm; i++) {
            coltyp[i] = i < n1 ? UPPER : LOWER;
        }
        int kk = 0, k2 = nm, j = 0, pj = -1;
        for (; j < nm; j++) {
            int nj = indx[j];
            if (rho * Math.abs(z[nj]) <= tol) {
                indxp[--k2] = nj;
                coltyp[nj] = DEFLATED;
            } else {
                pj = nj;
                j++;
                break;
            }
        }
        for (; j < nm; j++) {
            int nj = indx[j];
            if (rho * Math.abs(z[nj]) <= tol) {
                indxp[--k2] = nj;
                coltyp[nj] = DEFLATED;
                continue;
            }
            double s = z[pj], c = z[nj];
            double tau = TridiagonalQl.hypot(c, s);
            double t = d[o + nj] - d[o + pj];
            c /= tau;
            s = -s / tau;
            if (Math.abs(t * c * s) <= tol) {
                // Poles pj and nj are (nearly) equal: rotate so z[pj] = 0 and pj deflates.
                z[nj] = tau;
                z[pj] = 0;
                if (coltyp[nj] != coltyp[pj]) {
                    coltyp[nj] = BOTH;
                }
                coltyp[pj] = DEFLATED;
                int x = at(o, 0, pj), y = at(o, 0, nj);
                for (int r = 0; r < nm; r++) {
                    double qx = q[x + r], qy = q[y + r];
                    q[x + r] = c * qx + s * qy;
                    q[y + r] = c * qy - s * qx;
                }
                double dp = d[o + pj], dn = d[o + nj];
                d[o + pj] = dp * c * c + dn * s * s;
                d[o + nj] = dp * s * s + dn * c * c;
                k2--;
                int i = 1;                             // keep the deflated tail in descending order
                while (k2 + i < nm && d[o + pj] < d[o + indxp[k2 + i]]) {
                    indxp[k2 + i - 1] = indxp[k2 + i];
                    i++;
                }
                indxp[k2 + i - 1] = pj;
            } else {
                dlamda[kk] = d[o + pj];
                w[kk] = z[pj];
                indxp[kk++] = pj;
            }
            pj = nj;
        }
        if (pj >= 0) {
            dlamda[kk] = d[o + pj];
            w[kk] = z[pj];
            indxp[kk++] = pj;
        }
        // Group the columns by type: upper-only, both, lower-only, deflated.
        int[] ctot = new int[4];
        for (int i = 0; i < nm; i++) {
            ctot[coltyp[i]]++;
        }
        int[] psm = {0, ctot[0], ctot[0] + ctot[1], ctot[0] + ctot[1] + ctot[2]};
        for (int i = 0; i < nm; i++) {
            int js = indxp[i], ct = coltyp[js];
            indx[psm[ct]] = js;
            indxc[psm[ct]] = i;
            psm[ct]++;
        }
        int iq1 = 0, iq2 = (ctot[0] + ctot[1]) * n1, i = 0;
        for (int c = 0; c < ctot[0]; c++, i++, iq1 += n1) {
            System.arraycopy(q, at(o, 0, indx[i]), q2, iq1, n1);
            zsave[i] = d[o + indx[i]];
        }
        for (int c = 0; c < ctot[1]; c++, i++, iq1 += n1, iq2 += n2) {
            System.arraycopy(q, at(o, 0, indx[i]), q2, iq1, n1);
            System.arraycopy(q, at(o, n1, indx[i]), q2, iq2, n2);
            zsave[i] = d[o + indx[i]];
        }
        for (int c = 0; c < ctot[2]; c++, i++, iq2 += n2) {
            System.arraycopy(q, at(o, n1, indx[i]), q2, iq2, n2);
            zsave[i] = d[o + indx[i]];
        }
        for (int c = 0; c < ctot[3]; c++, i++) {      // deflated columns go straight to the block's tail
            System.arraycopy(q, at(o, 0, indx[i]), q2, iq2 + c * nm, nm);
            zsave[i] = d[o + indx[i]];
        }
        for (int c = 0; c < ctot[3]; c++) {
            System.arraycopy(q2, iq2 + c * nm, q, at(o, 0, kk + c), nm);
            d[o + kk + c] = zsave[kk + c];
        }
        System.arraycopy(ctot, 0, coltyp, 0, 4);
        return kk;
    }

    /**
     * {@code dlaed3}: the {@code kk} roots of the secular equation into {@code d[o..o+kk)}, the
     * eigenvectors of {@code D + ρ w wᵀ} from the recomputed {@code ẑ}, and the block's first
     * {@code kk} columns as the packed columns times those eigenvectors (upper rows, lower rows).
     */
    private void secularAndVectors(int o, int nm, int n1, int kk, double rho) {
        int n2 = nm - n1;
        int c0 = coltyp[0], c1 = coltyp[1], c2 = coltyp[2];
        if (kk == 1) {
            d[o] = dlamda[0] + rho * w[0] * w[0];
            u[0] = 1;
        } else {
            // Column j of u: δ_i = dlamda_i − λ_j for every pole i.
            for (int j = 0; j < kk; j++) {
                d[o + j] = SecularEquation.root(kk, j, dlamda, w, rho, u, j * kk, k, eps);
            }
            // ẑ_i² = Π_j (λ_j − d_i) / Π_{j≠i} (d_j − d_i), with the sign of the original z_i.
            for (int i = 0; i < kk; i++) {
                zsave[i] = u[i + i * kk];
            }
            for (int j = 0; j < kk; j++) {
                int col = j * kk;
                k.scaleByQuotients(j, dlamda[j], u, col, dlamda, 0, zsave, 0);
                k.scaleByQuotients(kk - j - 1, dlamda[j], u, col + j + 1, dlamda, j + 1, zsave, j + 1);
            }
            for (int i = 0; i < kk; i++) {
                zsave[i] = Math.copySign(Math.sqrt(Math.max(0, -zsave[i])), w[i]);
            }
            // Eigenvector j: ẑ_i / δ_i, normalised, rows permuted into type order.
            for (int j = 0; j < kk; j++) {
                int col = j * kk;
                k.divide(kk, zsave, 0, u, col, w, 0);          // w is free once the roots are known
                double inv = 1 / Math.sqrt(k.dot(kk, w, 0, w, 0));
                for (int i = 0; i < kk; i++) {
                    u[col + i] = w[indxc[i]] * inv;
                }
            }
        }
        // New columns: upper rows = Q2_upper [n1, c0+c1] · u[0:c0+c1, :], lower rows = Q2_lower [n2, c1+c2] · u[c0:kk, :].
        int n12 = c0 + c1, n23 = c1 + c2;
        if (floats != null) {
            floatProducts(o, n1, n2, kk, c0, n12, n23);
            return;
        }
        if (n12 > 0) {
            k.gemm(false, false, n1, kk, n12, 1, q2, 0, n1, u, 0, kk, 0, q, at(o, 0, 0), n);
        } else {
            zero(o, 0, n1, kk);
        }
        if (n23 > 0) {
            k.gemm(false, false, n2, kk, n23, 1, q2, n1 * n12, n2, u, c0, kk, 0, q, at(o, n1, 0), n);
        } else {
            zero(o, n1, n2, kk);
        }
    }

    /**
     * The two products of {@link #secularAndVectors} in float: the packed columns and the
     * secular eigenvectors rounded to float, multiplied, and the product widened into the block.
     */
    private void floatProducts(int o, int n1, int n2, int kk, int c0, int n12, int n23) {
        int nm = n1 + n2;
        int packedLength = n1 * n12 + n2 * n23;
        for (int i = 0; i < packedLength; i++) {
            q2f[i] = (float) q2[i];
        }
        for (int i = 0; i < kk * kk; i++) {
            uf[i] = (float) u[i];
        }
        // productf is [nm, kk] column-major: the upper rows, then the lower rows, of each column.
        if (n12 > 0) {
            floats.gemm(false, false, n1, kk, n12, 1, q2f, 0, n1, uf, 0, kk, 0, productf, 0, nm);
        } else {
            for (int j = 0; j < kk; j++) {
                java.util.Arrays.fill(productf, j * nm, j * nm + n1, 0f);
            }
        }
        if (n23 > 0) {
            floats.gemm(false, false, n2, kk, n23, 1, q2f, n1 * n12, n2, uf, c0, kk, 0, productf, n1, nm);
        } else {
            for (int j = 0; j < kk; j++) {
                java.util.Arrays.fill(productf, j * nm + n1, (j + 1) * nm, 0f);
            }
        }
        for (int j = 0; j < kk; j++) {
            int col = at(o, 0, j), src = j * nm;
            for (int r = 0; r < nm; r++) {
                q[col + r] = productf[src + r];
            }
        }
    }

    private void zero(int o, int row, int rows, int cols) {
        for (int j = 0; j < cols; j++) {
            int c = at(o, row, j);
            java.util.Arrays.fill(q, c, c + rows, 0.0);
        }
    }
}
