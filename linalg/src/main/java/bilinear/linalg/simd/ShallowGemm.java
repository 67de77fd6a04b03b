package bilinear.linalg.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Products with a depth of a few ({@code k ≤ MAX_K}), A and B not transposed: the classifier
 * head's backward {@code dX[B, H] = dLogits[B, 10]·W[10, H]}. The blocked GEMM would spend more
 * on packing, on zeroing and storing its register tile and on merging it into C than on the 10
 * FMAs per output vector; here each output vector is summed over p in registers and stored once.
 *
 * <pre>
 *   C[i, j] = alpha·Σ_{p&lt;k} A[i, p]·B[p, j] + beta·C[i, j]      (p ascending, for every thread count)
 * </pre>
 */
final class ShallowGemm {
    private ShallowGemm() {
    }

    static final VectorSpecies<Float> S = Simd.FLOAT;
    static final int L = S.length();
    /** The deepest product this path takes. */
    static final int MAX_K = 16;

    /** Rows [from, to) of C; A is m×k, B k×n, C m×n, all row-major with rows lda, ldb, ldc apart. */
    static void rows(int n, int k, float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc, int from, int to) {
        for (int i = from; i < to; i++) {
            int ai = aOff + i * lda, ci = cOff + i * ldc;
            int j = 0;
            // Four output vectors at a time share each broadcast of A[i, p].
            for (; j + 4 * L <= n; j += 4 * L) {
                FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
                for (int p = 0, bp = bOff + j; p < k; p++, bp += ldb) {
                    FloatVector x = FloatVector.broadcast(S, a[ai + p]);
                    c0 = x.fma(FloatVector.fromArray(S, b, bp), c0);
                    c1 = x.fma(FloatVector.fromArray(S, b, bp + L), c1);
                    c2 = x.fma(FloatVector.fromArray(S, b, bp + 2 * L), c2);
                    c3 = x.fma(FloatVector.fromArray(S, b, bp + 3 * L), c3);
                }
                store(c0, alpha, beta, c, ci + j);
                store(c1, alpha, beta, c, ci + j + L);
                store(c2, alpha, beta, c, ci + j + 2 * L);
                store(c3, alpha, beta, c, ci + j + 3 * L);
            }
            for (; j + L <= n; j += L) {
                FloatVector acc = FloatVector.zero(S);
                for (int p = 0; p < k; p++) {
                    acc = FloatVector.broadcast(S, a[ai + p]).fma(FloatVector.fromArray(S, b, bOff + p * ldb + j), acc);
                }
                store(acc, alpha, beta, c, ci + j);
            }
            for (; j < n; j++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) {
                    acc = Math.fma(a[ai + p], b[bOff + p * ldb + j], acc);
                }
                float v = alpha * acc;
                c[ci + j] = beta == 0f ? v : v + beta * c[ci + j];
            }
        }
    }

    /** C[ci : ci + L] = alpha·acc + beta·C[ci : ci + L] (C not read when beta = 0). */
    private static void store(FloatVector acc, float alpha, float beta, float[] c, int ci) {
        if (alpha != 1f) {
            acc = acc.mul(alpha);
        }
        if (beta != 0f) {
            acc = acc.add(FloatVector.fromArray(S, c, ci).mul(beta));
        }
        acc.intoArray(c, ci);
    }
}
