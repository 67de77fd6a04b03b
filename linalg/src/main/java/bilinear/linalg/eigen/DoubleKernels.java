package bilinear.linalg.eigen;

import bilinear.linalg.SimdGate;

/**
 * The double-precision BLAS the eigensolvers are built on, in LAPACK's column-major convention:
 * a matrix with leading dimension {@code ld} stored from offset {@code off} keeps element
 * {@code (i, j)} at {@code off + i + j·ld}, so a column is contiguous. (A symmetric matrix reads
 * the same either way, so the row-major matrices of the rest of the project need no transposing.)
 *
 * <p>Two implementations: {@link PlainDoubleKernels}, plain Java loops that are the living
 * definition, and a Vector API one in {@code bilinear.linalg.simd}, chosen by {@link #best()} when
 * the JVM passes the same static checks as the SIMD backend. Each call runs on the calling thread:
 * the eigensolvers spread whole matrices over threads, so a result never depends on the thread
 * count.
 */
public interface DoubleKernels {

    /** A short name for logs and benchmark reports: "plain" or "simd-512" and so on. */
    String name();

    /**
     * {@code C = alpha·op(A)·op(B) + beta·C}, {@code op(A)} {@code m×k}, {@code op(B)} {@code k×n},
     * C {@code m×n}; {@code transA} means A is stored {@code k×m} and used transposed (likewise B).
     * With {@code beta == 0} C is not read. All column-major.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
              double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
              double beta, double[] c, int cOff, int ldc);

    /**
     * {@code y = A·x} for the symmetric {@code n×n} matrix whose lower triangle (diagonal
     * included) is stored column-major at {@code a[aOff], lda}; the strict upper triangle is not
     * read. {@code y} is overwritten.
     */
    void symvLower(int n, double[] a, int aOff, int lda, double[] x, int xOff, double[] y, int yOff);

    /** {@code y += alpha·A·x}: A column-major {@code m×n}, x of length n, y of length m. */
    void gemvN(int m, int n, double alpha, double[] a, int aOff, int lda, double[] x, int xOff, double[] y, int yOff);

    /** {@code y = Aᵀ·x} (overwritten): A column-major {@code m×n}, x of length m, y of length n. */
    void gemvT(int m, int n, double[] a, int aOff, int lda, double[] x, int xOff, double[] y, int yOff);

    /** {@code Σ x[xOff + i]·y[yOff + i]} over {@code i < n}. */
    double dot(int n, double[] x, int xOff, double[] y, int yOff);

    /** {@code y[yOff + i] += alpha·x[xOff + i]} for {@code i < n}. */
    void axpy(int n, double alpha, double[] x, int xOff, double[] y, int yOff);

    /**
     * {@code z[zOff + i] *= x[xOff + i] / (y[yOff + i] − c)} for {@code i < n}: divide and
     * conquer's products for the recomputed {@code ẑ}, {@code O(k²)} divisions per merge.
     */
    void scaleByQuotients(int n, double c, double[] x, int xOff, double[] y, int yOff, double[] z, int zOff);

    /** {@code out[outOff + i] = x[xOff + i] / y[yOff + i]} for {@code i < n}. */
    void divide(int n, double[] x, int xOff, double[] y, int yOff, double[] out, int outOff);

    /**
     * One step of the secular-equation iteration over {@code k} poles ({@link SecularEquation}):
     * first {@code δ_j −= eta} for every {@code j < k} ({@code δ} at {@code delta[off + j]}), then
     * the sums of the terms {@code t_j = z_j²/δ_j} on either side of the pole {@code origin}:
     * <pre>
     *   out[0] = Σ_{j&lt;origin} t_j    out[1] = Σ_{j&lt;origin} (z_j/δ_j)²    out[2] = Σ_{j&lt;origin} |t_j|·(origin − j)
     *   out[3] = Σ_{j&gt;origin} t_j    out[4] = Σ_{j&gt;origin} (z_j/δ_j)²    out[5] = Σ_{j&gt;origin} |t_j|·(j − origin)
     * </pre>
     * The weighted sums are the rounding-error bound {@code dlaed4} accumulates as a sum of partial
     * sums (each term appears in {@code |origin − j|} of them).
     */
    void secularSums(int k, int origin, double eta, double[] z, double[] delta, int off, double[] out);

    /** The plain-Java kernels (always available). */
    static DoubleKernels plain() {
        return PlainDoubleKernels.INSTANCE;
    }

    /**
     * The Vector API kernels when this JVM can run them fast (the incubator module is loaded, C2 is
     * on, FMA is usable, vectors are at least 128 bits wide), else the plain ones. Decided once.
     */
    static DoubleKernels best() {
        return Best.KERNELS;
    }

    /** Why {@link #best()} fell back to the plain kernels, or null when it did not. */
    static String whyPlain() {
        return Best.WHY_PLAIN;
    }

    /** Lazily resolved choice (class initialisation runs the gate once, thread-safely). */
    final class Best {
        private Best() {
        }

        static final String WHY_PLAIN;
        static final DoubleKernels KERNELS;

        static {
            String why = SimdGate.staticRejection().orElse(null);
            DoubleKernels k = null;
            if (why == null) {
                try {
                    k = (DoubleKernels) Class.forName("bilinear.linalg.simd.SimdDoubleKernels")
                            .getConstructor().newInstance();
                } catch (ReflectiveOperationException | LinkageError e) {
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    why = "the vector kernels failed to load: " + cause;
                }
            }
            WHY_PLAIN = why;
            KERNELS = k != null ? k : PlainDoubleKernels.INSTANCE;
        }
    }
}
