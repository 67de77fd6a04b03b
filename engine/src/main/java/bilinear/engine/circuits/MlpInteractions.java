package bilinear.engine.circuits;

import bilinear.engine.BadInputException;
import bilinear.engine.decomp.BlockWeights;
import bilinear.engine.decomp.InteractionMatrix;
import bilinear.engine.lm.Transformer;
import bilinear.linalg.Backend;
import bilinear.linalg.Gate;
import bilinear.linalg.Tensor;
import bilinear.linalg.eigen.EigenOrder;
import bilinear.linalg.eigen.EigenPairs;
import bilinear.linalg.eigen.LeadingEigen;
import bilinear.linalg.eigen.LeadingPairs;
import bilinear.linalg.eigen.SymmetricEigen;

/**
 * Interaction matrices of a language model's bilinear MLP. With {@code m} the MLP input (the
 * normalised residual), {@code y = P((Wm) ⊙ (Vm))} its output and {@code u [D]} an output
 * direction in the residual stream,
 *
 * <pre>
 *   u·y = Σ_k (Pᵀu)_k (w_k·m)(v_k·m) = mᵀ Q(u) m,      Q(u) = sym(Wᵀ diag(Pᵀu) V)     [D, D]
 * </pre>
 * exactly — the same closed form as the image model's, with {@code s = Pᵀu}
 * ({@link InteractionMatrix}). Directions: an output SAE's encoder row (a feature's
 * pre-activation is {@code u·(y − b_dec) + b_enc}, so {@code mᵀQm} plus a constant), or a
 * token's unembedding against the mean of the others (the MLP's direct push on that token).
 */
public final class MlpInteractions {
    private final Transformer model;
    private final int layer;
    private final BlockWeights block;
    private final Tensor projection;   // P [D, H]
    private final Backend backend;

    public MlpInteractions(Transformer model, int layer, Backend backend) {
        if (model.config().gate() != Gate.NONE) {
            throw new BadInputException("only bilinear MLPs have exact interaction matrices; this model's MLP is gated ("
                    + model.config().describe() + ")");
        }
        if (layer < 0 || layer >= model.config().layers()) {
            throw new BadInputException("layer " + layer + " does not exist (the model has " + model.config().layers() + ")");
        }
        this.model = model;
        this.layer = layer;
        this.backend = backend;
        int h = model.config().dHidden(), d = model.config().dModel();
        Tensor w = model.mlpIn(layer);           // [2H, D]: W then V
        Tensor left = Tensor.zeros(h, d), right = Tensor.zeros(h, d);
        System.arraycopy(w.data(), 0, left.data(), 0, h * d);
        System.arraycopy(w.data(), h * d, right.data(), 0, h * d);
        this.block = new BlockWeights(layer, left, right, false);
        this.projection = model.mlpOut(layer);
    }

    public int layer() {
        return layer;
    }

    public int width() {
        return model.config().dModel();
    }

    public Transformer model() {
        return model;
    }

    /** {@code s = Pᵀu [H]}. */
    public double[] hiddenDirection(double[] u) {
        int d = width(), h = model.config().dHidden();
        if (u.length != d) {
            throw new BadInputException("an output direction needs " + d + " entries (d_model), got " + u.length);
        }
        double[] s = new double[h];
        float[] p = projection.data();
        for (int i = 0; i < d; i++) {
            if (u[i] != 0) {
                for (int k = 0; k < h; k++) {
                    s[k] += u[i] * p[i * h + k];
                }
            }
        }
        return s;
    }

    /** {@code Q(u) [D, D]}, row-major, double. */
    public double[] matrix(double[] u) {
        return InteractionMatrix.of(block, hiddenDirection(u), backend);
    }

    /** The eigenpairs of {@code Q(u)}, largest |λ| first. */
    public EigenPairs eigen(double[] u) {
        return SymmetricEigen.decompose(matrix(u), width(), EigenOrder.MAGNITUDE);
    }

    /**
     * The {@code k} leading eigenpairs of {@code Q(u)} (largest |λ| first) by block Lanczos, for
     * analyses that read only the first few: on wide models this is a fraction of the full
     * decomposition's cost; small or many-pair problems go to the dense solver inside.
     */
    public LeadingPairs leading(double[] u, int k) {
        return LeadingEigen.of(matrix(u), width(), Math.min(k, width()));
    }

    /** Eigenvalues only of {@code Q(u)}, largest |λ| first (2–3× faster). */
    public double[] eigenvalues(double[] u) {
        return SymmetricEigen.values(matrix(u), width(), EigenOrder.MAGNITUDE);
    }

    /** {@code W_U[token] − mean over the other tokens of W_U}: the direction that raises one token's logit against the rest. */
    public double[] tokenDirection(int token) {
        Tensor wu = model.unembedding();
        int v = wu.rows(), d = wu.cols();
        if (token < 0 || token >= v) {
            throw new BadInputException("token id " + token + " outside the vocabulary of " + v);
        }
        double[] sum = new double[d];
        float[] a = wu.data();
        for (int t = 0; t < v; t++) {
            for (int i = 0; i < d; i++) {
                sum[i] += a[t * d + i];
            }
        }
        double[] u = new double[d];
        for (int i = 0; i < d; i++) {
            double others = (sum[i] - a[token * d + i]) / (v - 1);
            u[i] = a[token * d + i] - others;
        }
        return u;
    }

    /**
     * The largest |mᵀQ(u)m − u·y| over samples relative to the largest |u·y|, with {@code m} the MLP
     * inputs and {@code y} the MLP outputs of the same tokens from a forward pass.
     */
    public double exactness(double[] u, Tensor inputs, Tensor outputs) {
        double[] form = quadraticForm(matrix(u), inputs);
        int d = width();
        double maxOut = 1e-30, maxErr = 0;
        for (int t = 0; t < form.length; t++) {
            double uy = 0;
            for (int i = 0; i < d; i++) {
                uy += u[i] * outputs.data()[t * d + i];
            }
            maxOut = Math.max(maxOut, Math.abs(uy));
            maxErr = Math.max(maxErr, Math.abs(form[t] - uy));
        }
        return maxErr / maxOut;
    }

    /** {@code xᵀ Q x} for each row of {@code x [N, D]}: {@code (x·Q)} through the backend GEMM, then row dots in double. */
    public double[] quadraticForm(double[] q, Tensor x) {
        int n = x.rows(), d = x.cols();
        Tensor qt = Tensor.zeros(d, d);
        for (int i = 0; i < d * d; i++) {
            qt.data()[i] = (float) q[i];
        }
        Tensor xq = Tensor.zeros(n, d);
        backend.gemm(false, false, 1f, x, qt, 0f, xq);
        double[] out = new double[n];
        float[] a = xq.data(), b = x.data();
        for (int r = 0; r < n; r++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += (double) a[r * d + j] * b[r * d + j];
            }
            out[r] = s;
        }
        return out;
    }
}
