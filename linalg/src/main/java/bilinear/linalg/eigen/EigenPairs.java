package bilinear.linalg.eigen;

/**
 * Eigenpairs of an {@code n × n} symmetric matrix in a chosen {@link EigenOrder}:
 * {@code values[i]} goes with the unit vector {@code vectors[i·n … i·n + n)} (row {@code i} of a
 * row-major {@code [n, n]} array, so the rows are the eigenvectors, not the columns).
 */
public record EigenPairs(int n, double[] values, double[] vectors) {
    public EigenPairs {
        if (values.length != n || vectors.length != (long) n * n) {
            throw new IllegalArgumentException(n + " eigenpairs need " + n + " values and " + (long) n * n
                    + " vector entries, got " + values.length + " and " + vectors.length);
        }
    }

    public double value(int i) {
        return values[i];
    }

    /** A copy of eigenvector {@code i}. */
    public double[] vector(int i) {
        double[] v = new double[n];
        System.arraycopy(vectors, i * n, v, 0, n);
        return v;
    }

    /** The eigenvectors as float32 rows {@code [n, n]}, for products through a backend. */
    public float[] vectorsAsFloats() {
        float[] f = new float[vectors.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) vectors[i];
        }
        return f;
    }
}
