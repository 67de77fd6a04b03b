package bilinear.engine.decomp;

import bilinear.linalg.Backend;
import bilinear.linalg.Tensor;

/**
 * The interaction matrix of a bilinear block along an output direction, in closed form:
 *
 * <pre>
 *   s·g(h̃) = Σ_k s_k (w̃_k·h̃)(ṽ_k·h̃) = h̃ᵀ Q(s) h̃,     Q(s) = sym(W̃ᵀ diag(s) Ṽ)           [N, N]
 * </pre>
 * computed as one {@code [N, H]·[H, N]} product through the backend's GEMM (scale the rows of
 * {@code W̃} by {@code s}, multiply, symmetrize), never through the third-order tensor
 * {@code B_kij = W̃_ki Ṽ_kj} (250 GB for a real language model). Only the symmetric part matters:
 * {@code h̃ᵀ A h̃ = h̃ᵀ sym(A) h̃} for any A, so symmetrizing is exact.
 *
 * <p>Two terms join the bilinear one in the augmented coordinates {@code h̃ = [h; 1]}:
 * <ul>
 *   <li>a residual block outputs {@code h + g(h)}, so {@code s·h} is added: {@code ½ s_i} in the
 *       last column and row ({@code h̃ᵀ Q h̃} counts the pair {@code (i, N−1)} twice);
 *   <li>a direction read off an augmented eigenvector {@code ṽ = (v, κ)} of the block above asks
 *       for {@code v·h_out + κ}; the constant {@code κ} (the direction's last entry) is added to
 *       the corner {@code Q[N−1, N−1]}, since {@code h̃[N−1] = 1}.
 * </ul>
 * The closed form is checked against the explicit contraction on small sizes in the tests.
 */
public final class InteractionMatrix {
    private InteractionMatrix() {
    }

    /**
     * {@code Q(s)} for block {@code b}, row-major {@code [N, N]} in double (ready for the
     * eigensolver). {@code s} has the block's output width {@code H}, plus one constant entry
     * when the block is augmented.
     */
    public static double[] of(BlockWeights b, double[] s, Backend backend) {
        int h = b.hidden(), n = b.inputSize();
        int expected = b.augmented() ? h + 1 : h;
        if (s.length != expected) {
            throw new IllegalArgumentException("direction of length " + s.length + " for block " + b.index()
                    + " whose output space has " + expected + " coordinates");
        }
        Tensor scaled = Tensor.zeros(h, n);                         // diag(s)·W̃      [H, N]
        float[] w = b.left().data(), sw = scaled.data();
        for (int k = 0; k < h; k++) {
            float sk = (float) s[k];
            for (int j = 0; j < n; j++) {
                sw[k * n + j] = sk * w[k * n + j];
            }
        }
        Tensor c = Tensor.zeros(n, n);                              // W̃ᵀ diag(s) Ṽ    [N, N]
        backend.gemm(true, false, 1f, scaled, b.right(), 0f, c);
        double[] q = new double[n * n];
        float[] cd = c.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double sym = 0.5 * ((double) cd[i * n + j] + cd[j * n + i]);
                q[i * n + j] = sym;
                q[j * n + i] = sym;
            }
        }
        if (b.residual()) {
            int last = n - 1;
            for (int i = 0; i < h; i++) {
                q[i * n + last] += 0.5 * s[i];
                q[last * n + i] += 0.5 * s[i];
            }
        }
        if (b.augmented()) {
            q[(n - 1) * n + (n - 1)] += s[h];
        }
        return q;
    }
}
