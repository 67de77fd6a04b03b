package bilinear.linalg.eigen;

import java.util.Arrays;
import java.util.Comparator;

/**
 * How eigenpairs are ordered. Every order is total and stable (ties keep EJML's index order after
 * a deterministic tie-break on the value), so the same matrix always gives the same sequence.
 */
public enum EigenOrder {
    /** Largest |λ| first: the terms that move the output most, whatever their sign. */
    MAGNITUDE,
    /** Largest λ first (most positive … most negative). */
    DESCENDING,
    /** Smallest λ first (the order of LAPACK's syevd and {@code torch.linalg.eigh}). */
    ASCENDING,
    /**
     * Positive eigenvalues by decreasing λ, then zeros, then negative ones by decreasing |λ|: the
     * "top-k positive plus top-k negative" reading of a spectrum.
     */
    SIGNED;

    /** The index permutation that puts {@code values} in this order. */
    public int[] permutation(double[] values) {
        Integer[] idx = new Integer[values.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Comparator<Integer> byValueDesc = (a, b) -> Double.compare(values[b], values[a]);
        Comparator<Integer> cmp = switch (this) {
            case MAGNITUDE -> Comparator.<Integer>comparingDouble(i -> -Math.abs(values[i])).thenComparing(byValueDesc);
            case DESCENDING -> byValueDesc;
            case ASCENDING -> byValueDesc.reversed();
            case SIGNED -> Comparator.<Integer>comparingInt(i -> values[i] > 0 ? 0 : values[i] == 0 ? 1 : 2)
                    .thenComparingDouble(i -> -Math.abs(values[i]));
        };
        Arrays.sort(idx, cmp.thenComparingInt(i -> i));
        return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
    }
}
