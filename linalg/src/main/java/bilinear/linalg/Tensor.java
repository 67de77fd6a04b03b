package bilinear.linalg;

/**
 * A dense float32 tensor: a {@link Shape} plus row-major storage.
 *
 * <p>Storage is a heap {@code float[]} today. Engine code never indexes it: ops go through a
 * {@link Backend}, and only backends, file readers and tests call {@link #data()}, so storage can
 * later move off-heap or onto a device behind this class without rewriting the ops.
 */
public final class Tensor {
    private final Shape shape;
    private final float[] data;

    private Tensor(Shape shape, float[] data) {
        if (data.length < shape.size()) {
            throw new IllegalArgumentException("storage of " + data.length + " floats for shape " + shape);
        }
        this.shape = shape;
        this.data = data;
    }

    public static Tensor zeros(int... dims) {
        return zeros(Shape.of(dims));
    }

    public static Tensor zeros(Shape shape) {
        return new Tensor(shape, new float[shape.size()]);
    }

    /** Wraps existing storage (no copy); its length must be at least the shape's size. */
    public static Tensor wrap(float[] data, int... dims) {
        return new Tensor(Shape.of(dims), data);
    }

    public static Tensor wrap(float[] data, Shape shape) {
        return new Tensor(shape, data);
    }

    public Shape shape() {
        return shape;
    }

    public int size() {
        return shape.size();
    }

    public int rows() {
        return shape.rows();
    }

    public int cols() {
        return shape.cols();
    }

    public int dim(int axis) {
        return shape.dim(axis);
    }

    /** The raw row-major storage; may be longer than {@link #size()} (pooled buffers). */
    public float[] data() {
        return data;
    }

    /** The same storage seen with another shape of the same size. */
    public Tensor reshape(int... dims) {
        Shape s = Shape.of(dims);
        if (s.size() != shape.size()) {
            throw new IllegalArgumentException("cannot reshape " + shape + " to " + s);
        }
        return new Tensor(s, data);
    }

    /** A deep copy with exactly {@code size()} floats of storage. */
    public Tensor copy() {
        float[] d = new float[shape.size()];
        System.arraycopy(data, 0, d, 0, d.length);
        return new Tensor(shape, d);
    }

    public float get(int i, int j) {
        return data[i * shape.cols() + j];
    }

    @Override
    public String toString() {
        return "Tensor" + shape;
    }
}
