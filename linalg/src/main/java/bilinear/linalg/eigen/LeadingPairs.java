package bilinear.linalg.eigen;

/**
 * The {@code k} leading eigenpairs (largest |λ| first, whatever their sign) of an {@code n × n}
 * symmetric matrix, as {@link LeadingEigen} found them: {@code values[i]} goes with the unit
 * vector in row {@code i} of {@code vectors} ({@code [k, n]} row-major), signed like
 * {@link SymmetricEigen}'s (largest component positive).
 *
 * @param residual  the largest {@code ‖A v_i − λ_i v_i‖ / ‖A‖} over the returned pairs, with
 *                  ‖A‖ estimated by the largest |λ| found (0 for the zero matrix)
 * @param products  matrix-block products the Krylov iteration used (0 when it went dense)
 * @param dense     whether the pairs came from the full dense decomposition (small matrices, many
 *                  pairs asked for, or a Krylov run that did not converge)
 */
public record LeadingPairs(int n, double[] values, double[] vectors, double residual, int products, boolean dense) {
    public LeadingPairs {
        if (vectors.length != (long) values.length * n) {
            throw new IllegalArgumentException(values.length + " pairs of size " + n + " need " + (long) values.length * n
                    + " vector entries, got " + vectors.length);
        }
    }

    /** How many pairs. */
    public int count() {
        return values.length;
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
}
