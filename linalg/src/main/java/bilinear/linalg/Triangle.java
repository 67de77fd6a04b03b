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
            sum += switch (this) {
                case NONE -> (long) n * k;
                case LOWER_OUTPUT -> (long) Math.min(n, i + 1) * k;
                case LOWER_LEFT -> (long) Math.min(k, i + 1) * n;
                case UPPER_LEFT -> (long) Math.max(0, k - i) * n;
            };
        }
        return sum;
    }
}
