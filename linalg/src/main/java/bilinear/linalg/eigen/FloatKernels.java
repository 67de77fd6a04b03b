package bilinear.linalg.eigen;

import bilinear.linalg.SimdGate;

/**
 * The single-precision BLAS of the float eigensolver ({@link SymmetricEigen.Precision#SINGLE}),
 * in the column-major convention of {@link DoubleKernels}: element {@code (i, j)} of a matrix with
 * leading dimension {@code ld} stored from {@code off} is at {@code off + i + j·ld}.
 *
 * <p>There is one implementation, on the Vector API ({@code bilinear.linalg.simd}); without it the
 * single-precision solver runs in double precision instead, which is slower and more accurate,
 * so there is no plain float twin to keep. The tests hold it against {@link DoubleKernels#plain()}
 * on the same (float) inputs. Each call runs on the calling thread.
 */
public interface FloatKernels {

    /** A short name for logs and benchmark reports, such as "simd-512". */
    String name();

    /** {@code C = alpha·op(A)·op(B) + beta·C}, as {@link DoubleKernels#gemm} (C not read when beta is 0). */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
              float beta, float[] c, int cOff, int ldc);

    /** {@code y = A·x}, A symmetric with its lower triangle stored, as {@link DoubleKernels#symvLower}. */
    void symvLower(int n, float[] a, int aOff, int lda, float[] x, int xOff, float[] y, int yOff);

    /** {@code y += alpha·A·x}: A column-major {@code m×n}. */
    void gemvN(int m, int n, float alpha, float[] a, int aOff, int lda, float[] x, int xOff, float[] y, int yOff);

    /** {@code y = Aᵀ·x} (overwritten): A column-major {@code m×n}. */
    void gemvT(int m, int n, float[] a, int aOff, int lda, float[] x, int xOff, float[] y, int yOff);

    /** {@code Σ x[xOff + i]·y[yOff + i]} over {@code i < n}, accumulated in float. */
    float dot(int n, float[] x, int xOff, float[] y, int yOff);

    /** {@code y[yOff + i] += alpha·x[xOff + i]} for {@code i < n}. */
    void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff);

    /** The Vector API kernels, or null when this JVM cannot run them fast ({@link #whyUnavailable()} says why). */
    static FloatKernels best() {
        return Best.KERNELS;
    }

    /** Why {@link #best()} is null, or null when it is not. */
    static String whyUnavailable() {
        return Best.WHY_NOT;
    }

    /** Lazily resolved choice, as {@link DoubleKernels.Best}. */
    final class Best {
        private Best() {
        }

        static final String WHY_NOT;
        static final FloatKernels KERNELS;

        static {
            String why = SimdGate.staticRejection().orElse(null);
            FloatKernels k = null;
            if (why == null) {
                try {
                    k = (FloatKernels) Class.forName("bilinear.linalg.simd.SimdFloatKernels").getConstructor().newInstance();
                } catch (ReflectiveOperationException | LinkageError e) {
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    why = "the vector kernels failed to load: " + cause;
                }
            }
            WHY_NOT = why;
            KERNELS = k;
        }
    }
}
