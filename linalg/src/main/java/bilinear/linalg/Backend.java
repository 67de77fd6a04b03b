package bilinear.linalg;

/**
 * The compute seam: a small BLAS-shaped set of kernels. Engine ops call only these methods, never
 * a tensor's storage, so a backend is free to keep storage wherever it wants.
 *
 * <p>Conventions. A "matrix view" of a tensor is {@code rows() × cols()} (all leading dimensions
 * flattened). Methods that write a gradient take {@code beta}: the destination becomes
 * {@code result + beta·destination}, and with {@code beta == 0} the old contents are never read
 * (so they may be garbage or NaN), exactly as BLAS does. Every implementation must agree with
 * {@link bilinear.linalg.scalar.ScalarBackend}, the reference, within the tolerances of the
 * contract suite.
 */
public interface Backend {

    /** A short name: scalar, simd, cuda. */
    String name();

    /** One-line description for logs: name, vector width, threads. */
    String describe();

    /** Worker threads this backend uses (1 = the calling thread only). */
    int threads();

    /**
     * A warm-up for training: each run is one round that calls every kernel a training step uses
     * once, on small inputs, so that the JIT compiles them before the first full-size call (a vector
     * kernel that is not yet compiled runs 10–700× slower). Training commands run rounds while
     * their data loads. Results of later calls do not depend on it. Backends without a
     * JIT-compiled path need no rounds.
     */
    default WarmUpRounds trainingWarmUp() {
        return WarmUpRounds.NONE;
    }

    /** A warm-up taken a round at a time. */
    @FunctionalInterface
    interface WarmUpRounds {
        /** The warm-up of a backend that needs none. */
        WarmUpRounds NONE = () -> false;

        /** Runs the next round; false, having run nothing, once no more rounds are needed. */
        boolean round();
    }

    // ------------------------------------------------------------------ matrix products

    /**
     * {@code C = alpha·op(A)·op(B) + beta·C} on matrix views. {@code op(A)} is {@code m×k}: A is
     * stored {@code m×k}, or {@code k×m} when {@code transA}. {@code op(B)} is {@code k×n}: B is
     * stored {@code k×n}, or {@code n×k} when {@code transB}. C is {@code m×n}.
     */
    void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c);

    /**
     * {@link #gemm} for {@code g} independent matrices stacked along the first dimension:
     * {@code a [G, ., .]}, {@code b [G, ., .]}, {@code c [G, m, n]}.
     */
    default void gemmBatched(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        gemmBatched(Triangle.NONE, transA, transB, alpha, a, b, beta, c);
    }

    /**
     * {@link #gemmBatched} exploiting the triangular structure {@code shape} of every matrix
     * (causal attention): masked halves are neither computed nor written, see {@link Triangle}.
     */
    void gemmBatched(Triangle shape, boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c);

    // ------------------------------------------------------------------ elementwise

    /** {@code y = alpha·x + beta·y}, elementwise over equal sizes. */
    void axpby(float alpha, Tensor x, float beta, Tensor y);

    /** {@code out = a + b}, elementwise over equal sizes ({@code out} may alias either). */
    void add(Tensor a, Tensor b, Tensor out);

    /** {@code x[i, j] += v[j]}: add a row vector to every row. */
    void addRowVector(Tensor x, Tensor v);

    /** {@code x += c} everywhere. */
    void addScalar(Tensor x, float c);

    /** {@code x = value} everywhere. */
    void fill(Tensor x, float value);

    /**
     * Rows of a row-major matrix of unsigned 8-bit grey levels, {@code D = out.cols()} per row, as
     * floats in [0, 1]: {@code out[i, j] = (levels[rows[from + i]·D + j] & 0xff) / 255} for
     * {@code i < out.rows()}, each correctly rounded, so every backend gives the same floats. This
     * is how images kept as bytes become a batch (a shuffled one, or consecutive rows).
     */
    void unpackGreyLevels(byte[] levels, int[] rows, int from, Tensor out);

    /**
     * Gated linear unit, forward. {@code z [B, 2H]} holds the left half then the right half of each
     * row; {@code out[b, j] = σ(z[b, j]) · z[b, H + j]}, {@code out [B, H]}.
     */
    void glu(Gate gate, Tensor z, Tensor out);

    /**
     * Gated linear unit, backward: with {@code l = z[b, j]}, {@code r = z[b, H + j]},
     * {@code g = dOut[b, j]}: {@code dZ[b, j] = g·r·σ'(l) + beta·dZ[b, j]} and
     * {@code dZ[b, H + j] = g·σ(l) + beta·dZ[b, H + j]}.
     */
    void gluBackward(Gate gate, Tensor z, Tensor dOut, float beta, Tensor dZ);

    // ------------------------------------------------------------------ noise

    /**
     * {@code out = x + std·ε}, ε standard normal from the counter-based generator
     * {@link CounterRng}: element {@code i} gets {@code CounterRng.gaussian(seed, i)}. The result
     * depends only on the seed and the index, never on thread count or vector width (beyond the
     * rounding of the transcendental functions).
     */
    void addGaussianNoise(Tensor x, float std, long seed, Tensor out);

    // ------------------------------------------------------------------ reductions

    /** {@code out[j] = Σ_i x[i, j] + beta·out[j]} (sums over rows; a bias gradient). */
    void sumRows(Tensor x, float beta, Tensor out);

    /** {@code Σ x²} over all elements, accumulated in double in a fixed order. */
    double sumSquares(Tensor x);

    /** {@code Σ x} over all elements, accumulated in double in a fixed order. */
    double sum(Tensor x);

    /** {@code Σ a·b} over all elements (equal sizes), accumulated in double in a fixed order. */
    double dot(Tensor a, Tensor b);

    // ------------------------------------------------------------------ normalisation

    /**
     * Parameter-free RMSNorm over the last dimension: {@code y = x / sqrt(mean(x²) + eps)};
     * {@code invRms[b] = 1 / sqrt(mean(x[b]²) + eps)} is saved for the backward pass.
     */
    void rmsNorm(Tensor x, float eps, Tensor y, Tensor invRms);

    /**
     * RMSNorm backward: {@code dx = invRms·(dy − y·mean(dy·y)) + beta·dx}, row by row.
     */
    void rmsNormBackward(Tensor y, Tensor invRms, Tensor dy, float beta, Tensor dx);

    // ------------------------------------------------------------------ classification

    /** Row-wise softmax of {@code x [B, C]} into {@code out} (may alias). */
    void softmaxRows(Tensor x, Tensor out);

    /**
     * Softmax cross-entropy over rows of {@code logits [B, C]} with integer {@code labels[B]}.
     * Returns {@code Σ_b −log softmax(logits[b])[labels[b]]} (a sum, not a mean). When
     * {@code dLogits} is not null it receives {@code scale·(softmax(logits) − onehot(labels))};
     * it may be {@code logits} itself, whose values the gradient then replaces.
     */
    double softmaxCrossEntropy(Tensor logits, int[] labels, float scale, Tensor dLogits);

    /** {@code out[b] = argmax_j x[b, j]} (first maximum on ties). */
    void argmaxRows(Tensor x, int[] out);

    // ------------------------------------------------------------------ optimisation

    /**
     * One AdamW step on a parameter, in place (PyTorch's {@code torch.optim.AdamW}):
     * {@code p −= lr·wd·p; m = β₁m + (1−β₁)g; v = β₂v + (1−β₂)g²;
     * p −= lr·(m/bc1) / (sqrt(v/bc2) + eps)}, with {@code bc1 = 1−β₁ᵗ}, {@code bc2 = 1−β₂ᵗ}.
     * {@code gradScale} multiplies g first (gradient clipping).
     */
    void adamw(Tensor param, Tensor grad, float gradScale, Tensor m, Tensor v, AdamWStep step);

    // ------------------------------------------------------------------ sequences (language models)

    /** {@code out[i, :] = table[ids[i], :]} for every row i of {@code out [N, D]}; {@code table [V, D]}. */
    void gatherRows(Tensor table, int[] ids, Tensor out);

    /**
     * {@code dTable[ids[i], :] += dOut[i, :]} for i = 0, 1, ... in order (so repeated ids sum in a
     * fixed order); {@code dOut [N, D]}, {@code dTable [V, D]}.
     */
    void scatterAddRows(Tensor dOut, int[] ids, Tensor dTable);

    /**
     * Splits fused projections {@code qkv [B·T, 3·H·dh]} (each row: all of q, then k, then v, each
     * head after head) into {@code q, k, v [B·H, T, dh]}, rotating q and k by the rotary position
     * embedding in the "rotate half" layout: for position t and {@code i < dh/2}, with
     * {@code c = cos[t, i]}, {@code s = sin[t, i]},
     * {@code x'ᵢ = xᵢ·c − x_{i+dh/2}·s} and {@code x'_{i+dh/2} = x_{i+dh/2}·c + xᵢ·s}.
     * {@code cos, sin [T, dh/2]}.
     */
    void ropeSplitHeads(Tensor qkv, int batch, int heads, Tensor cos, Tensor sin, Tensor q, Tensor k, Tensor v);

    /**
     * The transpose of {@link #ropeSplitHeads}: gathers {@code dq, dk, dv [B·H, T, dh]} into
     * {@code dqkv [B·T, 3·H·dh]}, rotating dq and dk back (by −θ); written with {@code beta}.
     */
    void ropeSplitHeadsBackward(Tensor dq, Tensor dk, Tensor dv, int batch, int heads, Tensor cos, Tensor sin,
                                float beta, Tensor dqkv);

    /** {@code z [B·H, T, dh]} → {@code out [B·T, H·dh]} (head h of token t goes to columns h·dh ...). */
    void mergeHeads(Tensor z, int batch, int heads, Tensor out);

    /** The inverse of {@link #mergeHeads}: {@code x [B·T, H·dh]} → {@code out [B·H, T, dh]}. */
    void splitHeads(Tensor x, int batch, int heads, Tensor out);

    /**
     * Causal softmax of {@code scores [G, T, T]}: {@code P[g, i, j] = exp(a·S[g,i,j]) / Σ_{j' ≤ i}
     * exp(a·S[g,i,j'])} for {@code j ≤ i} and 0 above the diagonal, {@code a = scale}.
     */
    void causalSoftmax(Tensor scores, float scale, Tensor probs);

    /**
     * The backward of {@link #causalSoftmax}, row by row over {@code j ≤ i}:
     * {@code dS[i, j] = scale·P[i, j]·(dP[i, j] − Σ_{j' ≤ i} dP[i, j']·P[i, j'])}, and 0 above the
     * diagonal, where neither P nor dP is read (a causal product leaves dP's upper half unwritten);
     * {@code dScores} may alias {@code dProbs}.
     */
    void causalSoftmaxBackward(Tensor probs, Tensor dProbs, float scale, Tensor dScores);

    // ------------------------------------------------------------------ sparse autoencoders

    /**
     * Top-k activation, row by row: {@code out[r, j] = max(x[r, j], 0)} if {@code x[r, j]} is among
     * the k largest entries of row r (ties: the lower index first), else 0.
     */
    void topKRows(Tensor x, int k, Tensor out);

    /** {@code dx = dOut ⊙ [out > 0] + beta·dx}: the gradient flows only through the kept, positive entries. */
    void topKBackward(Tensor out, Tensor dOut, float beta, Tensor dx);

    /** Scalars of one AdamW update. */
    record AdamWStep(float lr, float beta1, float beta2, float eps, float weightDecay,
                     float biasCorrection1, float biasCorrection2) {
    }
}
