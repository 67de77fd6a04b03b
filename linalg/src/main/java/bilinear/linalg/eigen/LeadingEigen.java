package bilinear.linalg.eigen;

import bilinear.linalg.CounterRng;
import java.util.Arrays;

/**
 * The {@code k} eigenpairs of largest |λ| (both signs) of a symmetric matrix, without the full
 * decomposition: block Lanczos with full reorthogonalisation and Rayleigh–Ritz.
 *
 * <pre>
 *   V₀ = orth(G)                          G: n×b Gaussian, from CounterRng with a fixed seed
 *   V_{j+1} = orth(A V_j − V (Vᵀ A V_j))  Gram–Schmidt against the whole basis, twice (CGS2)
 *   H = Vᵀ (A V)  [m×m],  H = Y Θ Yᵀ,     Ritz pairs (θ_i, x_i = V y_i), the k largest |θ| kept
 *   converged when  ‖A x_i − θ_i x_i‖ ≤ tol · max|θ|  for all k pairs (residuals computed explicitly)
 * </pre>
 * A block Krylov space grows toward both ends of the spectrum at once, so the largest positive
 * and the most negative eigenvalues converge together; a block of b vectors also finds
 * eigenvalues of multiplicity up to b. A run of b or more (nearly) equal values among the k
 * found could hide further copies a block of b cannot see, so those answers come from the dense
 * solver. Every product {@code A·V_j} and every projection is a
 * GEMM on {@link DoubleKernels}; the projected problem ({@code m ≤} a few hundred) is solved by
 * {@link DenseSymmetricEigen}. When the basis reaches its cap without convergence, or when the
 * matrix is so small (or k so large) that the dense solver is cheaper anyway, the answer comes
 * from the dense solver ({@link LeadingPairs#dense()} says so). When the Krylov space closes (a
 * matrix of rank below the basis size) the exhausted directions are replaced by fresh random
 * ones, so zero eigenvalues are found like any other.
 *
 * <p>Deterministic: the start block and any replacement vectors come from {@link CounterRng}
 * with a fixed seed, and all work runs on the calling thread.
 */
public final class LeadingEigen {
    private LeadingEigen() {
    }

    /**
     * Residual bound relative to the largest |λ| when none is given. Eigenvalue errors are about
     * the square of the residual over the gap, so 1e-8 gives eigenvalues to about 1e-15 of the
     * largest on the interaction matrices of trained models; eigenvector angles to about 1e-8/gap.
     */
    public static final double DEFAULT_TOLERANCE = 1e-8;
    /** Seed of the start block. */
    static final long SEED = 0x5EED_1EADL;
    /** Matrices this small (or with k above a quarter of n) go straight to the dense solver. */
    static final int DENSE_BELOW = 96;
    /** A new column whose norm falls below this fraction of its norm before orthogonalisation is taken as dependent. */
    private static final double BREAKDOWN = 1e-10;

    /** The {@code k} leading pairs of the {@code n × n} symmetric {@code a} (row-major), residuals within {@link #DEFAULT_TOLERANCE}. */
    public static LeadingPairs of(double[] a, int n, int k) {
        return of(a, n, k, DEFAULT_TOLERANCE, DoubleKernels.best());
    }

    /**
     * The {@code k} leading pairs with {@code ‖A v − λ v‖ ≤ tolerance·max|λ|}; {@code tolerance}
     * at least 1e-13 (what double precision can certify).
     */
    public static LeadingPairs of(double[] a, int n, int k, double tolerance, DoubleKernels kernels) {
        SymmetricEigen.checkSquare(a, n);
        SymmetricEigen.checkFinite(a);
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("asked for " + k + " eigenpairs of a " + n + "×" + n + " matrix");
        }
        if (!(tolerance >= 1e-13 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance must be in [1e-13, 1), got " + tolerance);
        }
        if (k == 0) {
            return new LeadingPairs(n, new double[0], new double[0], 0, 0, false);
        }
        int b = BLOCK;
        // The basis cap: top-16 of trained models' matrices converges at 76–96 of its 192.
        int maxBasis = Math.min(n, 8 * k + 64);
        if (n < DENSE_BELOW || 4 * k > n || 2 * maxBasis > n) {
            return dense(a, n, k, kernels);
        }
        LeadingPairs found;
        try {
            found = new Krylov(a, n, k, b, maxBasis, tolerance, kernels).run();
        } catch (NotConvergedException basisStuck) {
            found = null;
        }
        return found != null ? found : dense(a, n, k, kernels);
    }

    /**
     * Vectors per block, whatever k. Smaller blocks reach a higher polynomial degree for the same
     * basis size, so the basis the residual bound needs (and the cubic cost of each
     * Rayleigh–Ritz step) shrinks with the block, down to where the products get too thin to
     * run fast. On the ten class matrices of a d = 512 model (one Zen 3 core, all ten, medians
     * of 3–5, before the products with four columns got their own kernel), top-16 took 90–120 ms
     * with blocks of 4 (converged at 76–96 vectors), 102 with 3, 108 with 2, 118 with 5, 169–200
     * with 8, 236 with 12 and 324–367 with 16 (converged at 208); top-8 67 ms with 4 against 104
     * with 8; top-24 203 with 4 or 2 against 356 with 8.
     */
    static final int BLOCK = 4;

    /** The first k pairs of the full decomposition, by |λ|. */
    static LeadingPairs dense(double[] a, int n, int k, DoubleKernels kernels) {
        EigenPairs all = SymmetricEigen.decompose(a, n, EigenOrder.MAGNITUDE, kernels);
        double[] values = Arrays.copyOf(all.values(), k);
        double[] vectors = Arrays.copyOf(all.vectors(), k * n);
        return new LeadingPairs(n, values, vectors, residual(a, n, values, vectors, kernels), 0, true);
    }

    /** {@code max_i ‖A v_i − λ_i v_i‖ / max|λ|} for rows v_i (0 when every λ is 0). */
    static double residual(double[] a, int n, double[] values, double[] vectors, DoubleKernels kernels) {
        int k = values.length;
        double[] av = new double[n * k];
        kernels.gemm(false, false, n, k, n, 1, a, 0, n, vectors, 0, n, 0, av, 0, n);
        double worst = 0, scale = 0;
        for (int i = 0; i < k; i++) {
            scale = Math.max(scale, Math.abs(values[i]));
            double r2 = 0;
            for (int r = 0; r < n; r++) {
                double d = av[i * n + r] - values[i] * vectors[i * n + r];
                r2 += d * d;
            }
            worst = Math.max(worst, Math.sqrt(r2));
        }
        return scale == 0 ? 0 : worst / scale;
    }

    /** The most values of {@code x} that form a chain with consecutive gaps of at most {@code within}. */
    static int longestRun(double[] x, double within) {
        double[] sorted = x.clone();
        Arrays.sort(sorted);
        int longest = Math.min(1, sorted.length), run = 1;
        for (int i = 1; i < sorted.length; i++) {
            run = sorted[i] - sorted[i - 1] <= within ? run + 1 : 1;
            longest = Math.max(longest, run);
        }
        return longest;
    }

    /** One run of block Lanczos; {@link #run} returns null when it does not converge within the basis cap. */
    private static final class Krylov {
        final double[] a;
        final int n, k, b, maxBasis;
        final double tolerance;
        final DoubleKernels kern;
        final double[] v, av;                  // basis V and A·V, column-major [n, maxBasis]
        final double[] proj;                   // Vᵀ·W for one block, [maxBasis, b]
        final double[] h;                      // H = Vᵀ·(A·V) so far, column-major [maxBasis, maxBasis]
        int products;
        long randomDraws;
        /** Basis size at which Rayleigh–Ritz next runs ({@link #scheduleCheck}). */
        int nextCheck;
        /** Basis size and relative residual of the last Rayleigh–Ritz step that did not converge (0 before one). */
        int checkedSize;
        double checkedResidual;
        /** The relative residual the last Rayleigh–Ritz step found. */
        double residual;

        Krylov(double[] a, int n, int k, int b, int maxBasis, double tolerance, DoubleKernels kernels) {
            this.a = a;
            this.n = n;
            this.k = k;
            this.b = b;
            this.maxBasis = maxBasis;
            this.tolerance = tolerance;
            this.kern = kernels;
            v = new double[n * maxBasis];
            av = new double[n * maxBasis];
            proj = new double[maxBasis * b];
            h = new double[maxBasis * maxBasis];
        }

        LeadingPairs run() {
            nextCheck = Math.min(maxBasis - b, 2 * k + 4 * b);
            for (int c = 0; c < b; c++) {
                randomColumn(c);
            }
            orthonormalize(0, b, null);
            int m = 0;
            while (true) {
                // A·V_j for the newest block.
                kern.gemm(false, false, n, b, n, 1, a, 0, n, v, m * n, n, 0, av, m * n, n);
                products++;
                int size = m + b;
                // New columns of H: V[:, 0:size]ᵀ·(A V_j), and by symmetry the new rows.
                kern.gemm(true, false, size, b, n, 1, v, 0, n, av, m * n, n, 0, h, m * maxBasis, maxBasis);
                for (int c = m; c < size; c++) {
                    for (int r = 0; r < m; r++) {
                        h[c + r * maxBasis] = h[r + c * maxBasis];
                    }
                }
                boolean last = size + b > maxBasis;
                if (size >= nextCheck || last) {
                    LeadingPairs p = rayleighRitz(size);
                    if (p != null) {
                        return p;
                    }
                    scheduleCheck(size);
                }
                if (last) {
                    return null;
                }
                // The next block starts from A·V_j, orthogonalised against the whole basis.
                System.arraycopy(av, m * n, v, size * n, b * n);
                double[] norms = new double[b];
                for (int c = 0; c < b; c++) {
                    norms[c] = Math.sqrt(kern.dot(n, v, (size + c) * n, v, (size + c) * n));
                }
                orthonormalize(size, b, norms);
                m = size;
            }
        }

        /**
         * After a Rayleigh–Ritz step at basis size {@code size} that did not converge, the size for
         * the next. The residual falls about geometrically with the basis (on a trained model's
         * class matrices, a hundredfold per 10–15 vectors), so from two steps the rate is known
         * and the next one goes where the line through them in log scale meets the tolerance:
         * checking every quarter more instead overshot by up to a third of the basis, and each
         * Rayleigh–Ritz step costs a dense decomposition of the projected matrix (cubic in its
         * size). The step is at least one block and at most half the basis; before two steps, a
         * quarter of it.
         */
        private void scheduleCheck(int size) {
            int step = Math.max(b, size / 4);
            if (checkedSize > 0 && residual < checkedResidual && residual > 0) {
                double decayPerVector = StrictMath.log(checkedResidual / residual) / (size - checkedSize);
                double needed = StrictMath.log(residual / tolerance) / decayPerVector;  // StrictMath: the same in every JIT tier
                step = (int) Math.clamp(Math.ceil(needed), b, Math.max(b, size / 2));
            }
            checkedSize = size;
            checkedResidual = residual;
            nextCheck = size + step;
        }

        /**
         * Makes columns {@code from … from+count} orthonormal and orthogonal to columns
         * {@code 0 … from}: block classical Gram–Schmidt against the basis twice, then modified
         * Gram–Schmidt twice inside the block. A column that collapses (below {@link #BREAKDOWN}
         * of {@code norms[c]}, its norm before, or exactly zero) is replaced by a random one.
         */
        private void orthonormalize(int from, int count, double[] norms) {
            if (from > 0) {
                for (int pass = 0; pass < 2; pass++) {
                    kern.gemm(true, false, from, count, n, 1, v, 0, n, v, from * n, n, 0, proj, 0, from);
                    kern.gemm(false, false, n, count, from, -1, v, 0, n, proj, 0, from, 1, v, from * n, n);
                }
            }
            for (int c = 0; c < count; c++) {
                int col = (from + c) * n;
                double before = norms == null ? Math.sqrt(kern.dot(n, v, col, v, col)) : norms[c];
                for (int attempt = 0; ; attempt++) {
                    for (int pass = 0; pass < 2; pass++) {
                        for (int p = 0; p < c; p++) {
                            int other = (from + p) * n;
                            kern.axpy(n, -kern.dot(n, v, other, v, col), v, other, v, col);
                        }
                    }
                    double norm = Math.sqrt(kern.dot(n, v, col, v, col));
                    if (norm > BREAKDOWN * before && norm > 0) {
                        double inv = 1 / norm;
                        for (int r = 0; r < n; r++) {
                            v[col + r] *= inv;
                        }
                        break;
                    }
                    if (attempt > 3 || from + c >= n) {
                        throw new NotConvergedException("could not extend a Krylov basis of " + (from + c) + " vectors in dimension " + n);
                    }
                    // Exhausted direction: a fresh random vector, orthogonal to the whole basis.
                    randomColumn(from + c);
                    before = Math.sqrt(kern.dot(n, v, col, v, col));
                    if (from > 0) {
                        for (int pass = 0; pass < 2; pass++) {
                            kern.gemm(true, false, from, 1, n, 1, v, 0, n, v, col, n, 0, proj, 0, from);
                            kern.gemm(false, false, n, 1, from, -1, v, 0, n, proj, 0, from, 1, v, col, n);
                        }
                    }
                }
            }
        }

        private void randomColumn(int c) {
            int col = c * n;
            for (int r = 0; r < n; r++) {
                v[col + r] = CounterRng.gaussian(SEED, (int) (randomDraws++));
            }
        }

        /**
         * Ritz pairs of the basis of {@code m} columns; the k leading ones if all have converged,
         * else null ({@link #residual} says how far they were). Converged pairs with a run of b or
         * more nearly equal values (within √tolerance of the largest |θ|) are recomputed densely.
         */
        private LeadingPairs rayleighRitz(int m) {
            double[] hm = new double[m * m];
            for (int c = 0; c < m; c++) {
                System.arraycopy(h, c * maxBasis, hm, c * m, m);
            }
            EigenPairs ritz = SymmetricEigen.decompose(hm, m, EigenOrder.MAGNITUDE, kern);
            double[] theta = Arrays.copyOf(ritz.values(), k);
            double[] y = ritz.vectors();                      // rows = columns of Y, [m, k] column-major
            double[] x = new double[n * k];
            double[] ax = new double[n * k];
            kern.gemm(false, false, n, k, m, 1, v, 0, n, y, 0, m, 0, x, 0, n);
            kern.gemm(false, false, n, k, m, 1, av, 0, n, y, 0, m, 0, ax, 0, n);
            double scale = Math.abs(theta[0]), worst = 0;
            for (int i = 0; i < k; i++) {
                double r2 = 0;
                for (int r = 0; r < n; r++) {
                    double d = ax[i * n + r] - theta[i] * x[i * n + r];
                    r2 += d * d;
                }
                worst = Math.max(worst, Math.sqrt(r2));
            }
            double relative = scale == 0 ? 0 : worst / scale;
            residual = relative;
            if (relative > tolerance) {
                return null;
            }
            if (longestRun(theta, Math.sqrt(tolerance) * scale) >= b) {
                return dense(a, n, k, kern);
            }
            for (int i = 0; i < k; i++) {
                SymmetricEigen.fixSign(x, i * n, n);
            }
            return new LeadingPairs(n, theta, x, relative, products, false);
        }
    }
}
