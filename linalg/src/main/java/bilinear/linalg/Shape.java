package bilinear.linalg;

import java.util.Arrays;

/**
 * The immutable dimensions of a tensor, outermost first (row-major). A rank-0 shape has size 1.
 *
 * <p>Dimension letters used in shape comments across the project: B batch, T tokens, D input,
 * H hidden, O output, V vocabulary, G a batch of independent matrices (heads).
 */
public final class Shape {
    private final int[] dims;
    private final int size;

    private Shape(int[] dims) {
        long n = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
            }
            n *= d;
            if (n > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("tensor too large for one array: " + Arrays.toString(dims));
            }
        }
        this.dims = dims;
        this.size = (int) n;
    }

    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int axis) {
        return dims[axis < 0 ? dims.length + axis : axis];
    }

    public int[] dims() {
        return dims.clone();
    }

    /** Number of elements. */
    public int size() {
        return size;
    }

    /** Number of columns when viewed as a matrix: the last dimension (1 for rank 0). */
    public int cols() {
        return dims.length == 0 ? 1 : dims[dims.length - 1];
    }

    /** Number of rows when viewed as a matrix: the product of all but the last dimension. */
    public int rows() {
        int c = cols();
        return c == 0 ? (dims.length <= 1 ? 1 : product(0, dims.length - 1)) : size / c;
    }

    private int product(int from, int to) {
        int n = 1;
        for (int i = from; i < to; i++) {
            n *= dims[i];
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
