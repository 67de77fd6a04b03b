package bilinear.linalg;

/**
 * The triangular structure a batched product may exploit, as in causal attention over T×T
 * matrices, where half of every score and probability matrix is masked:
 *
 * <pre>
 *   NONE          C = alpha·op(A)·op(B) + beta·C, every entry
 *   LOWER_OUTPUT  only C[i, j] with j ≤ i is computed; entries above the diagonal are not written
 *                 (the scores S = Q·Kᵀ, whose upper half the causal softmax never reads)
 *   LOWER_LEFT    op(A) is lower triangular, op(A)[i, p] = 0 for p &gt; i: the zeros may be skipped
 *                 (the probabilities in Z = P·V)
 *   UPPER_LEFT    op(A) is upper triangular, op(A)[i, p] = 0 for p &lt; i: the zeros may be skipped
 *                 (the transposed probabilities in dV = Pᵀ·dZ)
 * </pre>
 *
 * For the two {@code LEFT} cases the result is the full product; skipping exact zeros changes no
 * sum, so a backend that skips them and one that does not agree bit for bit.
 */
public enum Triangle {
    NONE, LOWER_OUTPUT, LOWER_LEFT, UPPER_LEFT;

    /**
     * The multiply-adds of one m×n×k product with this structure (exact counts of the entries
     * that are not skipped), for reporting GFLOP/s.
     */
    public long multiplyAdds(int m, int n, int k) {
        long sum = 0;
        for (int i = 0; i < m; i++) {
            sum += (long) Math.min(n, endColumn(i)) * (Math.min(k, endDepth(i)) - Math.min(k, firstDepth(i)));
        }
        return sum;
    }

    /*
     * The bounds every backend skips by, in one place. Rows, columns and depths are indices of
     * the whole matrix; a blocked product subtracts its block's offset and clamps.
     */

    /** Columns of row {@code i} of C that are computed: [0, endColumn(i)); unbounded unless LOWER_OUTPUT. */
    public int endColumn(int i) {
        return this == LOWER_OUTPUT ? i + 1 : Integer.MAX_VALUE;
    }

    /** The first depth p where op(A)[i, p] can be nonzero: i for UPPER_LEFT, else 0. */
    public int firstDepth(int i) {
        return this == UPPER_LEFT ? i : 0;
    }

    /** One past the last depth p where op(A)[i, p] can be nonzero: i + 1 for LOWER_LEFT, else unbounded. */
    public int endDepth(int i) {
        return this == LOWER_LEFT ? i + 1 : Integer.MAX_VALUE;
    }
}
