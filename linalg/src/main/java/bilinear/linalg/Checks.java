package bilinear.linalg;

/** Argument checks shared by the backends; a failure names the call and the offending shapes. */
public final class Checks {
    private Checks() {
    }

    /** Dimensions {@code {m, n, k}} of a gemm, validated against the shapes of a, b and c. */
    public static int[] gemmDims(String op, boolean transA, boolean transB, Tensor a, Tensor b, Tensor c) {
        int m = transA ? a.cols() : a.rows();
        int k = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows();
        int n = transB ? b.rows() : b.cols();
        if (k != kb || c.rows() != m || c.cols() != n) {
            throw new IllegalArgumentException(op + ": op(A) " + m + "x" + k + " (A " + a.shape()
                    + (transA ? "ᵀ" : "") + ") times op(B) " + kb + "x" + n + " (B " + b.shape()
                    + (transB ? "ᵀ" : "") + ") does not fit C " + c.shape());
        }
        return new int[] {m, n, k};
    }

    public static void sameSize(String op, Tensor a, Tensor b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException(op + ": sizes differ, " + a.shape() + " vs " + b.shape());
        }
    }

    /** Row indices {@code rows[from .. from + count)} exist and each names a whole row of a matrix of {@code length} elements. */
    public static void rowIndices(String op, int[] rows, int from, int count, int rowLength, int length) {
        if (from < 0 || from > rows.length - count) {
            throw new IndexOutOfBoundsException(op + ": " + count + " row indices from " + from + " of " + rows.length);
        }
        for (int i = from; i < from + count; i++) {
            if (rows[i] < 0 || (long) rows[i] * rowLength + rowLength > length) {
                throw new IndexOutOfBoundsException(op + ": row " + rows[i] + " of a matrix of " + length / Math.max(1, rowLength) + " rows");
            }
        }
    }

    public static void gluShapes(String op, Tensor z, Tensor out) {
        if (z.cols() % 2 != 0 || z.rows() != out.rows() || z.cols() / 2 != out.cols()) {
            throw new IllegalArgumentException(op + ": z " + z.shape() + " must be [B, 2H] for out " + out.shape());
        }
    }

    public static void rowVector(String op, Tensor x, Tensor v) {
        if (v.size() != x.cols()) {
            throw new IllegalArgumentException(op + ": vector " + v.shape() + " does not match columns of " + x.shape());
        }
    }

    public static void labels(String op, Tensor logits, int[] labels) {
        if (labels.length < logits.rows()) {
            throw new IllegalArgumentException(op + ": " + labels.length + " labels for " + logits.rows() + " rows");
        }
    }

    public static int[] batchedDims(String op, boolean transA, boolean transB, Tensor a, Tensor b, Tensor c) {
        if (a.shape().rank() != 3 || b.shape().rank() != 3 || c.shape().rank() != 3
                || a.dim(0) != b.dim(0) || a.dim(0) != c.dim(0)) {
            throw new IllegalArgumentException(op + ": expected [G, ., .] operands, got " + a.shape() + ", "
                    + b.shape() + ", " + c.shape());
        }
        int m = transA ? a.dim(2) : a.dim(1);
        int k = transA ? a.dim(1) : a.dim(2);
        int kb = transB ? b.dim(2) : b.dim(1);
        int n = transB ? b.dim(1) : b.dim(2);
        if (k != kb || c.dim(1) != m || c.dim(2) != n) {
            throw new IllegalArgumentException(op + ": " + a.shape() + (transA ? "ᵀ" : "") + " times "
                    + b.shape() + (transB ? "ᵀ" : "") + " does not fit " + c.shape());
        }
        return new int[] {a.dim(0), m, n, k};
    }
}
