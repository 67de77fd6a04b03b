package bilinear.linalg.eigen;

/**
 * {@link HouseholderTridiagonal} in single precision ({@code ssytrd} and {@code sormtr}): the same
 * blocked reduction {@code A = Q·T·Qᵀ} and compact-WY back-transformation, line for line, on
 * {@code float} arrays and {@link FloatKernels}. It exists for speed: its {@code n×n} matrix takes
 * half the bytes (a 512×512 one, 1 MB, stays in a 2 MB L2 where the double one does not), and
 * every vector holds twice the lanes. The tridiagonal {@code T} it produces is then solved in
 * double precision; the rounding of this step (about {@code n·2⁻²⁴} relative to {@code ‖A‖}) is
 * what the single-precision eigenpairs carry.
 */
final class FloatHouseholderTridiagonal {
    /**
     * The double solver's blocking: back-transformation blocks of 32, 96 and 128 reflectors
     * measured 41, 47 and 55 ms against 41 for 64 (ten 512×512 matrices, one thread).
     */
    static final int PANEL = HouseholderTridiagonal.PANEL;
    static final int CROSSOVER = HouseholderTridiagonal.CROSSOVER;
    static final int BACK_BLOCK = HouseholderTridiagonal.BACK_BLOCK;

    final int n;
    /** The working array, column-major {@code [n, n]}: the reflectors below the subdiagonal after {@link #reduce}. */
    final float[] a;
    final float[] d;
    final float[] e;
    final float[] tau;
    private final FloatKernels k;

    /** Takes ownership of {@code a} (column-major, lower triangle read; the upper one is scratch). */
    FloatHouseholderTridiagonal(float[] a, int n, FloatKernels kernels) {
        this.n = n;
        this.a = a;
        this.d = new float[n];
        this.e = new float[Math.max(0, n - 1)];
        this.tau = new float[Math.max(0, n - 1)];
        this.k = kernels;
    }

    /** Reduces the matrix: fills {@link #d}, {@link #e}, {@link #tau} and leaves the reflectors in {@link #a}. */
    void reduce() {
        int j0 = 0;
        if (n - CROSSOVER > PANEL) {
            int m = n;
            float[] w = new float[m * PANEL];                  // W of the current panel, [n − j0, PANEL]
            float[] u1 = new float[m * 2 * PANEL];             // [V W]
            float[] u2 = new float[m * 2 * PANEL];             // [W V]
            float[] temp = new float[PANEL], temp2 = new float[PANEL];
            for (; n - j0 > CROSSOVER + PANEL; j0 += PANEL) {
                panel(j0, w, temp, temp2);
                trailingUpdate(j0, w, u1, u2);
                for (int j = j0; j < j0 + PANEL; j++) {
                    a[j + 1 + j * n] = e[j];
                    d[j] = a[j + j * n];
                }
            }
        }
        unblocked(j0);
    }

    /**
     * {@code dlatrd}: reduces columns {@code j0 … j0+PANEL−1}, writing {@code W} (rows
     * {@code j0 … n−1}, column-major with leading dimension {@code n − j0}) such that the trailing
     * matrix is {@code A₂₂ − V Wᵀ − W Vᵀ}.
     */
    private void panel(int j0, float[] w, float[] temp, float[] temp2) {
        int ldw = n - j0;
        for (int c = 0; c < PANEL; c++) {
            int i = j0 + c;
            int len = n - i;
            int colI = i * n;
            // Bring column i up to date with the panel's earlier reflectors:
            // A(i:n, i) −= V(i:n, 0:c)·W(i, 0:c)ᵀ + W(i:n, 0:c)·V(i, 0:c)ᵀ.
            if (c > 0) {
                for (int cc = 0; cc < c; cc++) {
                    temp[cc] = w[cc * ldw + i - j0];
                    temp2[cc] = a[(j0 + cc) * n + i];
                }
                k.gemvN(len, c, -1, a, j0 * n + i, n, temp, 0, a, colI + i);
                k.gemvN(len, c, -1, w, i - j0, ldw, temp2, 0, a, colI + i);
            }
            if (i >= n - 1) {
                continue;
            }
            e[i] = reflector(i);
            a[colI + i + 1] = 1;
            // W(i+1:n, c) = τ (A₂₂ v − V (Wᵀ v) − W (Vᵀ v)), then the correction −½ τ (wᵀv) v.
            int m = n - i - 1, vOff = colI + i + 1, wOff = c * ldw + (i + 1 - j0);
            k.symvLower(m, a, (i + 1) + (i + 1) * n, n, a, vOff, w, wOff);
            if (c > 0) {
                k.gemvT(m, c, w, i + 1 - j0, ldw, a, vOff, temp, 0);
                k.gemvN(m, c, -1, a, j0 * n + i + 1, n, temp, 0, w, wOff);
                k.gemvT(m, c, a, j0 * n + i + 1, n, a, vOff, temp, 0);
                k.gemvN(m, c, -1, w, i + 1 - j0, ldw, temp, 0, w, wOff);
            }
            float t = tau[i];
            for (int r = 0; r < m; r++) {
                w[wOff + r] *= t;
            }
            float alpha = -0.5f * t * k.dot(m, w, wOff, a, vOff);
            k.axpy(m, alpha, a, vOff, w, wOff);
        }
    }

    /**
     * The rank-2·PANEL update {@code A₂₂ −= V Wᵀ + W Vᵀ} of the lower triangle of the trailing
     * matrix (rows and columns from {@code j0 + PANEL}), as GEMMs {@code −[V W]·[W V]ᵀ} over
     * column blocks from the diagonal down; diagonal blocks are computed whole (their strict upper
     * part is scratch).
     */
    private void trailingUpdate(int j0, float[] w, float[] u1, float[] u2) {
        int s = j0 + PANEL, m = n - s, ldw = n - j0, kk = 2 * PANEL;
        for (int c = 0; c < PANEL; c++) {
            System.arraycopy(a, (j0 + c) * n + s, u1, c * m, m);                 // V
            System.arraycopy(w, c * ldw + PANEL, u1, (PANEL + c) * m, m);         // W
            System.arraycopy(w, c * ldw + PANEL, u2, c * m, m);                   // W
            System.arraycopy(a, (j0 + c) * n + s, u2, (PANEL + c) * m, m);        // V
        }
        int block = 128;
        for (int c0 = 0; c0 < m; c0 += block) {
            int cols = Math.min(block, m - c0);
            k.gemm(false, true, m - c0, cols, kk, -1, u1, c0, m, u2, c0, m, 1, a, (s + c0) + (s + c0) * n, n);
        }
    }

    /** {@code dsytd2}: the columns from {@code j0} on, one reflector and one rank-2 update at a time. */
    private void unblocked(int j0) {
        float[] y = new float[n];
        for (int i = j0; i < n - 1; i++) {
            e[i] = reflector(i);
            float t = tau[i];
            if (t != 0) {
                int m = n - i - 1, vOff = i * n + i + 1;
                a[vOff] = 1;
                k.symvLower(m, a, (i + 1) + (i + 1) * n, n, a, vOff, y, 0);
                for (int r = 0; r < m; r++) {
                    y[r] *= t;
                }
                float alpha = -0.5f * t * k.dot(m, y, 0, a, vOff);
                k.axpy(m, alpha, a, vOff, y, 0);
                // A₂₂ −= v yᵀ + y vᵀ, lower triangle, column by column.
                for (int c = 0; c < m; c++) {
                    int col = (i + 1 + c) * n + (i + 1);
                    k.axpy(m - c, -a[vOff + c], y, c, a, col + c);
                    k.axpy(m - c, -y[c], a, vOff + c, a, col + c);
                }
                a[vOff] = e[i];
            }
            d[i] = a[i + i * n];
        }
        if (n > 0) {
            d[n - 1] = a[(n - 1) + (n - 1) * n];
        }
    }

    /**
     * {@code dlarfg} on column i: chooses {@code τ_i, v_i} with {@code H(i)·A(i+1:n, i) = β e₁},
     * stores {@code v_i(i+2..)} in place and {@code τ_i}, returns β. {@code τ = 0} (H = I) when the
     * part below the subdiagonal is already zero. The matrix is scaled to entries of order one
     * beforehand, so the plain sum of squares neither overflows nor loses the column to underflow.
     */
    private float reflector(int i) {
        int col = i * n;
        float alpha = a[col + i + 1];
        int m = n - i - 2;
        float xnorm2 = m > 0 ? k.dot(m, a, col + i + 2, a, col + i + 2) : 0;
        if (xnorm2 == 0) {
            tau[i] = 0;
            return alpha;
        }
        float beta = -Math.copySign((float) Math.sqrt((double) alpha * alpha + xnorm2), alpha);
        tau[i] = (beta - alpha) / beta;
        float scale = 1 / (alpha - beta);
        for (int r = col + i + 2, end = col + n; r < end; r++) {
            a[r] *= scale;
        }
        return beta;
    }

    /**
     * {@code Z ← Q·Z} for {@code Z} column-major {@code [n, cols]} with leading dimension
     * {@code ldz} ({@code dormtr}): blocks of {@link #BACK_BLOCK} reflectors, last block first,
     * each applied in compact WY form {@code H(i0)···H(i1−1) = I − V T Vᵀ} as three GEMMs,
     * {@code Z −= V·(T·(Vᵀ Z))}. Row 0 of Z is untouched (every {@code v_i} is zero there).
     */
    void applyQ(float[] z, int zOff, int ldz, int cols) {
        int reflectors = n - 1;
        if (reflectors <= 0 || cols == 0) {
            return;
        }
        int nb = Math.min(BACK_BLOCK, reflectors);
        float[] v = new float[(n - 1) * nb];
        float[] t = new float[nb * nb];
        float[] w1 = new float[nb * cols];
        float[] w2 = new float[nb * cols];
        int lastStart = ((reflectors - 1) / nb) * nb;
        for (int i0 = lastStart; i0 >= 0; i0 -= nb) {
            int ib = Math.min(nb, reflectors - i0);
            int m = n - 1 - i0;                                   // rows i0+1 … n−1
            // Explicit unit lower trapezoidal V [m, ib]: column c is v_{i0+c} from row i0+1.
            for (int c = 0; c < ib; c++) {
                int vc = c * m, src = (i0 + c) * n;
                java.util.Arrays.fill(v, vc, vc + c, 0f);
                v[vc + c] = 1;
                System.arraycopy(a, src + i0 + c + 2, v, vc + c + 1, m - c - 1);
            }
            blockReflectorT(v, m, ib, i0, t);
            int zRow = zOff + i0 + 1;
            k.gemm(true, false, ib, cols, m, 1, v, 0, m, z, zRow, ldz, 0, w1, 0, ib);
            k.gemm(false, false, ib, cols, ib, 1, t, 0, ib, w1, 0, ib, 0, w2, 0, ib);
            k.gemm(false, false, m, cols, ib, -1, v, 0, m, w2, 0, ib, 1, z, zRow, ldz);
        }
    }

    /**
     * {@code dlarft} (forward, columnwise): the upper triangular {@code T [ib, ib]} with
     * {@code H(i0)···H(i0+ib−1) = I − V T Vᵀ}, built column by column:
     * {@code T(0:c, c) = −τ_c T(0:c, 0:c) (V(:, 0:c)ᵀ v_c)}, {@code T(c, c) = τ_c}. The inner
     * products {@code VᵀV} come from one GEMM (V is explicit, zeros above its unit diagonal).
     */
    private void blockReflectorT(float[] v, int m, int ib, int i0, float[] t) {
        float[] g = new float[ib * ib];
        k.gemm(true, false, ib, ib, m, 1, v, 0, m, v, 0, m, 0, g, 0, ib);
        java.util.Arrays.fill(t, 0, ib * ib, 0f);
        float[] col = new float[ib];
        for (int c = 0; c < ib; c++) {
            float tc = tau[i0 + c];
            if (tc != 0) {
                for (int r = 0; r < c; r++) {
                    col[r] = -tc * g[r + c * ib];
                }
                for (int r = 0; r < c; r++) {                  // T(0:c, c) = T(0:c, 0:c)·col, upper triangular
                    float s = 0;
                    for (int q = r; q < c; q++) {
                        s += t[r + q * ib] * col[q];
                    }
                    t[r + c * ib] = s;
                }
            }
            t[c + c * ib] = tc;
        }
    }
}
