/**
 * The weight-based decomposition of bilinear classifiers (Pearce, Dooms, Rigg et al.).
 *
 * <p>A bilinear block computes {@code g(h) = (W h + b) ⊙ (V h + c)}. Read along any output
 * direction {@code s} it is a quadratic form of its input, {@code s·g(h) = h̃ᵀ Q(s) h̃}, with the
 * interaction matrix {@code Q(s) = sym(W̃ᵀ diag(s) Ṽ)} ({@link InteractionMatrix}) and
 * {@code h̃ = [h; 1]} when the block has biases or a residual connection. Its eigendecomposition
 * {@code Q = Σ λ_i v_i v_iᵀ} ({@link Decomposition}) turns the output into
 * {@code Σ λ_i (v_i·h̃)²}, exactly ({@link Exactness}). For a classifier the direction of class
 * {@code a} at the last block is {@code s = Pᵀ e_a}; deeper blocks are read recursively
 * ({@link Recursion}); the first block's eigenvectors map to pixels through the embedding,
 * {@code Eᵀ v}. {@link Decomposer} is the entry point; the analyses ({@link Truncation},
 * {@link Consistency}, {@link Explanation}, {@link AdversarialMasks}, {@link Hosvd},
 * {@link SpectrumStats}) build on it.
 */
package bilinear.engine.decomp;
