package bilinear.engine.decomp;

import bilinear.linalg.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Deeper stacks, read recursively. With blocks {@code h_{ℓ+1} = g_ℓ(h̃_ℓ)} (plus {@code h_ℓ} when
 * residual), an eigenvector {@code ṽ = (v, κ)} of block {@code ℓ} asks for the feature
 * {@code ṽ·h̃_ℓ = v·h_ℓ + κ}, which is itself a quadratic form of block {@code ℓ−1}'s input:
 *
 * <pre>
 *   ṽ·h̃_ℓ = h̃_{ℓ−1}ᵀ Q_{ℓ−1}(ṽ) h̃_{ℓ−1} = Σ_j μ_j (w_j·h̃_{ℓ−1})²
 *   u·y   = Σ_i λ_i (Σ_j μ_ij (w_ij·h̃_{ℓ−1})²)²                       (two blocks)
 * </pre>
 * so the eigenvector becomes the output direction of the block below ({@link InteractionMatrix}
 * handles the constant {@code κ} and the residual term). A {@link Node} holds one decomposition
 * and, for the first {@code expand} of its eigenvectors, the decomposition they induce one block
 * down; expanding every eigenvector down to block 0 expresses the logit through eigenpairs and the
 * embedding alone, which is what {@link #evaluate} checks.
 */
public final class Recursion {
    private Recursion() {
    }

    /** A decomposition and the decompositions its first eigenvectors induce one block down (null where not expanded). */
    public record Node(Decomposition decomposition, List<Node> children) {
        public boolean expanded(int i) {
            return i < children.size() && children.get(i) != null;
        }
    }

    /**
     * Expands {@code top} down to block 0: at every level the first {@code expand} eigenvectors
     * (largest |λ|) are decomposed one block down ({@code Integer.MAX_VALUE} for all of them).
     */
    public static Node build(Decomposer dec, Decomposition top, int expand) {
        if (top.layer() == 0) {
            return new Node(top, List.of());
        }
        int count = Math.min(expand, top.size());
        List<String> names = new ArrayList<>();
        List<double[]> directions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(top.name() + "/" + i);
            directions.add(top.vector(i));
        }
        List<Node> children = new ArrayList<>();
        for (Decomposition child : dec.decomposeLayer(top.layer() - 1, names, directions)) {
            children.add(build(dec, child, expand));
        }
        return new Node(top, children);
    }

    /**
     * The value of a node's quadratic form for images {@code x [B, D]}: {@code Σ_i λ_i f_i(x)²},
     * where {@code f_i} comes from the child node when it is expanded and otherwise from the
     * projection of the block's actual input (the model's forward pass) onto {@code ṽ_i}.
     */
    public static double[] evaluate(Decomposer dec, Node node, Tensor x) {
        Decomposition d = node.decomposition();
        int rows = x.rows(), n = d.size();
        Tensor z = null;
        boolean needsForward = false;
        for (int i = 0; i < n && !needsForward; i++) {
            needsForward = !node.expanded(i);
        }
        if (needsForward) {
            z = dec.project(d, dec.layerInputs(d.layer(), x));
        }
        double[] out = new double[rows];
        for (int i = 0; i < n; i++) {
            double lambda = d.value(i);
            double[] f;
            if (node.expanded(i)) {
                f = evaluate(dec, node.children().get(i), x);
            } else {
                f = new double[rows];
                for (int b = 0; b < rows; b++) {
                    f[b] = z.data()[b * n + i];
                }
            }
            for (int b = 0; b < rows; b++) {
                out[b] += lambda * f[b] * f[b];
            }
        }
        return out;
    }
}
