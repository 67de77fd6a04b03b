package bilinear.engine.decomp;

/**
 * Scalar summaries of spectra and eigenvectors.
 *
 * <pre>
 *   effective rank  (‖λ‖₁ / ‖λ‖₂)²   1 for a single eigenvalue, N for N equal ones
 *   sparsity        (‖v‖₁ / ‖v‖₂)²   1 for a one-pixel vector, D for a uniform one (the paper's
 *                                     "effective number of pixels" of an input-space eigenvector)
 * </pre>
 */
public final class SpectrumStats {
    private SpectrumStats() {
    }

    public static double effectiveRank(double[] values) {
        double l1 = 0, l2 = 0;
        for (double v : values) {
            l1 += Math.abs(v);
            l2 += v * v;
        }
        return l2 == 0 ? 0 : l1 * l1 / l2;
    }

    /** {@code (‖v‖₁/‖v‖₂)²} of {@code v[from, from + n)}. */
    public static double participation(float[] v, int from, int n) {
        double l1 = 0, l2 = 0;
        for (int i = from; i < from + n; i++) {
            l1 += Math.abs(v[i]);
            l2 += (double) v[i] * v[i];
        }
        return l2 == 0 ? 0 : l1 * l1 / l2;
    }

    /** Cosine of {@code a[ao, ao + n)} and {@code b[bo, bo + n)}, 0 when either is zero. */
    public static double cosine(float[] a, int ao, float[] b, int bo, int n) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < n; i++) {
            double x = a[ao + i], y = b[bo + i];
            ab += x * y;
            aa += x * x;
            bb += y * y;
        }
        return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
    }
}
