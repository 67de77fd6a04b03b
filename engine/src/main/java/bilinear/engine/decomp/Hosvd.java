package bilinear.engine.decomp;

import bilinear.linalg.Backend;
import bilinear.linalg.Tensor;
import bilinear.linalg.eigen.EigenOrder;
import bilinear.linalg.eigen.EigenPairs;
import bilinear.linalg.eigen.SymmetricEigen;
import java.util.ArrayList;
import java.util.List;

/**
 * Tensor-level decomposition (HOSVD) of the last block. Flatten the class tensor, one symmetric
 * matrix {@code Q_a = Q(Pᵀe_a)} per class, into {@code T [O, N²]} and take its SVD
 * {@code T = Σ_k σ_k u_k r_kᵀ}: the left singular vectors {@code u_k [O]} say how much each class
 * uses component {@code k}, and each right singular vector, reshaped to {@code N × N}, is a
 * symmetric matrix that is eigendecomposed like any interaction matrix.
 *
 * <p>The SVD never touches {@code T}. Its Gram matrix {@code G = T Tᵀ}, {@code G_ab = ⟨Q_a, Q_b⟩_F},
 * has a closed form in the block's weights ({@code s = Pᵀe_a}, {@code t = Pᵀe_b}):
 *
 * <pre>
 *   ⟨sym(W̃ᵀ D_s Ṽ), sym(W̃ᵀ D_t Ṽ)⟩ = sᵀ M t,    M = ½(W̃W̃ᵀ ⊙ ṼṼᵀ + W̃Ṽᵀ ⊙ ṼW̃ᵀ)          [H, H]
 *   residual term R(s) = ½(s e_Nᵀ + e_N sᵀ) adds  K + Kᵀ + ½I,   K_hj = ½(c_h W_hj + b_h V_hj)
 *   G = P M Pᵀ                                                                              [O, O]
 * </pre>
 * ({@code b}, {@code c} the biases of W and V). Then {@code G = U diag(σ²) Uᵀ}, and since
 * {@code Q(·)} is linear, the {@code k}-th right singular vector is
 * {@code Σ_a U_ak Q_a / σ_k = Q(Pᵀu_k)/σ_k}: the interaction matrix of the output direction
 * {@code u_k/σ_k}, decomposed by the same code as a class. All heavy work is {@code [H, N]} GEMMs.
 */
public final class Hosvd {
    private Hosvd() {
    }

    /**
     * @param index          component number (0 = largest σ)
     * @param singularValue  {@code σ_k}
     * @param classWeights   {@code u_k [O]}: how much each class uses the component
     * @param decomposition  eigenpairs of the reshaped right singular vector {@code Q(Pᵀu_k)/σ_k}
     */
    public record Component(int index, double singularValue, double[] classWeights, Decomposition decomposition) {
    }

    /**
     * @param singularValues every {@code σ_k}, decreasing ({@code O} of them)
     * @param components     the first components, decomposed
     */
    public record Result(double[] singularValues, List<Component> components) {
    }

    /** The Gram matrix {@code G = T Tᵀ [O, O]} of the flattened class tensor, row-major, in closed form. */
    public static double[] gram(Decomposer dec) {
        Backend be = dec.backend();
        BlockWeights b = dec.block(dec.topLayer());
        int h = b.hidden(), n = b.inputSize(), o = dec.outputs();
        Tensor ww = Tensor.zeros(h, h), vv = Tensor.zeros(h, h), wv = Tensor.zeros(h, h);
        be.gemm(false, true, 1f, b.left(), b.left(), 0f, ww);       // W̃W̃ᵀ
        be.gemm(false, true, 1f, b.right(), b.right(), 0f, vv);     // ṼṼᵀ
        be.gemm(false, true, 1f, b.left(), b.right(), 0f, wv);      // W̃Ṽᵀ
        double[] m = new double[h * h];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < h; j++) {
                m[i * h + j] = 0.5 * ((double) ww.get(i, j) * vv.get(i, j) + (double) wv.get(i, j) * wv.get(j, i));
            }
        }
        if (b.residual()) {
            float[] w = b.left().data(), v = b.right().data();
            for (int i = 0; i < h; i++) {
                double bw = w[i * n + h], bv = v[i * n + h];
                for (int j = 0; j < h; j++) {
                    double k = 0.5 * (bv * w[i * n + j] + bw * v[i * n + j]);
                    m[i * h + j] += k;
                    m[j * h + i] += k;
                }
                m[i * h + i] += 0.5;
            }
        }
        float[] p = dec.model().head().data();                     // [O, H]
        double[] pm = new double[o * h];
        for (int a = 0; a < o; a++) {
            for (int i = 0; i < h; i++) {
                double pai = p[a * h + i];
                if (pai != 0) {
                    for (int j = 0; j < h; j++) {
                        pm[a * h + j] += pai * m[i * h + j];
                    }
                }
            }
        }
        double[] g = new double[o * o];
        for (int a = 0; a < o; a++) {
            for (int c = 0; c < o; c++) {
                double sum = 0;
                for (int j = 0; j < h; j++) {
                    sum += pm[a * h + j] * p[c * h + j];
                }
                g[a * o + c] = sum;
            }
        }
        for (int a = 0; a < o; a++) {                               // exact symmetry for the eigensolver
            for (int c = 0; c < a; c++) {
                double s = 0.5 * (g[a * o + c] + g[c * o + a]);
                g[a * o + c] = s;
                g[c * o + a] = s;
            }
        }
        return g;
    }

    /** Singular values and the first {@code components} components, decomposed. */
    public static Result run(Decomposer dec, int components) {
        int o = dec.outputs();
        EigenPairs g = SymmetricEigen.decompose(gram(dec), o, EigenOrder.DESCENDING);
        double[] sigma = new double[o];
        for (int k = 0; k < o; k++) {
            sigma[k] = Math.sqrt(Math.max(0, g.value(k)));
        }
        int count = Math.min(components, o);
        List<OutputDirection> directions = new ArrayList<>();
        List<double[]> weights = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            double[] u = g.vector(k);
            double[] scaled = new double[o];
            for (int a = 0; a < o; a++) {
                scaled[a] = sigma[k] > 0 ? u[a] / sigma[k] : 0;
            }
            weights.add(u);
            directions.add(new OutputDirection("hosvd" + k, scaled));
        }
        List<Decomposition> decs = dec.decompose(directions);
        List<Component> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            out.add(new Component(k, sigma[k], weights.get(k), decs.get(k)));
        }
        return new Result(sigma, out);
    }
}
