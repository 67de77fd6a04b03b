package bilinear.engine.decomp;

import bilinear.linalg.Tensor;
import bilinear.linalg.eigen.EigenOrder;
import bilinear.linalg.eigen.EigenPairs;
import java.util.Arrays;

/**
 * The eigendecomposition of one interaction matrix: {@code Q(s) = Σ_i λ_i v_i v_iᵀ}, so that the
 * output read along {@code s} is {@code Σ_i λ_i (v_i·h̃)²} for the block's (augmented) input
 * {@code h̃}. Eigenpairs are kept by decreasing {@code |λ|} (index 0 is the term that can move the
 * output most); {@link #order} gives the other readings. Vectors live in the block's input space
 * ({@code N} coordinates, the last one the constant when augmented); the first block's map to
 * pixels as {@code Eᵀ v} ({@link Decomposer#pixelVectors}) and are signed so that picture sums to a
 * non-negative value (the sign is a convention: {@code λ(v·x)²} does not depend on it).
 */
public final class Decomposition {
    private final String name;
    private final int layer;
    private final int hidden;
    private final boolean augmented;
    private final double[] direction;
    private final EigenPairs pairs;
    private Tensor floatVectors;

    Decomposition(String name, int layer, int hidden, boolean augmented, double[] direction, EigenPairs pairs) {
        this.name = name;
        this.layer = layer;
        this.hidden = hidden;
        this.augmented = augmented;
        this.direction = direction;
        this.pairs = pairs;
    }

    /** The direction's label ({@code class3}, {@code 3-5}, ...). */
    public String name() {
        return name;
    }

    /** The block whose input space the eigenvectors live in. */
    public int layer() {
        return layer;
    }

    /** Number of eigenpairs: the block's input width {@code N}. */
    public int size() {
        return pairs.n();
    }

    /** Hidden width {@code H} (the eigenvectors' coordinates before the constant one). */
    public int hidden() {
        return hidden;
    }

    public boolean augmented() {
        return augmented;
    }

    /** The direction {@code s} in the block's output space that {@code Q(s)} was built from. */
    public double[] direction() {
        return direction.clone();
    }

    /** Eigenvalues, largest |λ| first. */
    public double[] values() {
        return pairs.values().clone();
    }

    public double value(int i) {
        return pairs.value(i);
    }

    /** Eigenvector {@code i} (unit length, {@code N} coordinates). */
    public double[] vector(int i) {
        return pairs.vector(i);
    }

    /** All eigenvectors as float rows {@code [N, N]}, for products through a backend (shared; do not modify). */
    public synchronized Tensor vectorsAsTensor() {
        if (floatVectors == null) {
            floatVectors = Tensor.wrap(pairs.vectorsAsFloats(), pairs.n(), pairs.n());
        }
        return floatVectors;
    }

    /** Indices into this decomposition in the given order (MAGNITUDE is the identity). */
    public int[] order(EigenOrder order) {
        return order.permutation(pairs.values());
    }

    /** Indices of the {@code k} largest positive eigenvalues (fewer when there are fewer). */
    public int[] topPositive(int k) {
        return Arrays.stream(order(EigenOrder.DESCENDING)).filter(i -> pairs.value(i) > 0).limit(k).toArray();
    }

    /** Indices of the {@code k} most negative eigenvalues (fewer when there are fewer). */
    public int[] topNegative(int k) {
        return Arrays.stream(order(EigenOrder.ASCENDING)).filter(i -> pairs.value(i) < 0).limit(k).toArray();
    }

    /**
     * The interaction matrix entry {@code Q[i, j] = Σ_k λ_k v_k[i] v_k[j]}, reassembled from the
     * eigenpairs (used for the linear term and the constant of an augmented decomposition).
     */
    public double entry(int i, int j) {
        int n = pairs.n();
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += pairs.values()[k] * pairs.vectors()[k * n + i] * pairs.vectors()[k * n + j];
        }
        return sum;
    }

    /**
     * The linear term of an augmented decomposition: {@code h̃ᵀ Q h̃ = hᵀ Q_hh h + 2 qᵀ h + κ} with
     * {@code q = Q[0..H, N−1]}; returns {@code 2q [H]} (the coefficients of {@code h}).
     */
    public double[] linearTerm() {
        requireAugmented();
        double[] q = new double[hidden];
        for (int i = 0; i < hidden; i++) {
            q[i] = 2 * entry(i, hidden);
        }
        return q;
    }

    /** The constant {@code κ = Q[N−1, N−1]} of an augmented decomposition. */
    public double constant() {
        requireAugmented();
        return entry(hidden, hidden);
    }

    private void requireAugmented() {
        if (!augmented) {
            throw new IllegalStateException("decomposition " + name + " has no constant input (no biases, not residual)");
        }
    }

    /** Effective rank {@code (‖λ‖₁ / ‖λ‖₂)²}: how many eigenvalues of equal size would carry the same mass. */
    public double effectiveRank() {
        return SpectrumStats.effectiveRank(pairs.values());
    }

    @Override
    public String toString() {
        return "Decomposition[" + name + ", layer " + layer + ", " + size() + " eigenpairs, top |λ| "
                + (size() > 0 ? Math.abs(value(0)) : 0) + "]";
    }
}
