package bilinear.engine.circuits;

import bilinear.engine.BadInputException;
import bilinear.engine.autograd.Tape;
import bilinear.engine.sae.Site;
import bilinear.engine.sae.TopKSae;
import bilinear.linalg.Backend;
import bilinear.linalg.Parallel;
import bilinear.linalg.Tensor;
import bilinear.linalg.eigen.LeadingPairs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Circuits of SAE features read from the weights (the papers' section 6). An output feature j of
 * the SAE at a layer's MLP output has direction {@code u_j = W_enc[j, :]} and pre-activation
 * {@code u_j·(y − b_dec) + b_enc[j] = mᵀQ(u_j)m + c_j}, {@code c_j = b_enc[j] − u_j·b_dec}, with
 * {@code m} the MLP input. From {@code Q(u_j)}:
 * <ul>
 *   <li>its eigenvalues rank the features (top-2 |λ|: how strongly two directions drive it);
 *   <li>its top-k eigenvector approximation {@code Σ_{i<k} λ_i (v_i·m)² + c_j} is correlated with
 *       the true pre-activation over the tokens where the feature is active;
 *   <li>projected on the decoder directions of the SAE at the MLP input, {@code D_inᵀ Q D_in}, it
 *       lists the input features that interact to produce it (self: diagonal, cross: 2× off-diagonal).
 * </ul>
 */
public final class FeatureCircuits {
    /** Activations at the layer's MLP on held-out tokens: inputs m, outputs y, and which tokens they are. */
    public record Samples(Tensor inputs, Tensor outputs, int[] tokens, int[] positions, int[] stream) {
    }

    public record Ranked(int feature, double lambda1, double lambda2, double top2, double top2Fraction, int activeTokens) {
    }

    public record Correlation(int feature, int activeTokens, double[] byK) {
    }

    public record Interaction(int a, int b, double value) {
    }

    private final MlpInteractions mlp;
    private final TopKSae out;
    private final TopKSae in;
    private final Samples samples;
    private final Backend backend;
    private final Tensor outPre;     // [N, M] pre-activations of the output SAE (exact, from the forward pass)
    private final Tensor outActive;  // [N, M] its top-k activations (non-zero where the feature is active)

    public FeatureCircuits(MlpInteractions mlp, TopKSae out, TopKSae in, Samples samples, Backend backend) {
        Site o = out.config().site();
        if (o.layer() != mlp.layer() || o.point() != Site.Point.MLP_OUT) {
            throw new BadInputException("the output SAE reads " + o.describe() + ", not layer " + mlp.layer() + " MLP output");
        }
        if (in != null && (in.config().site().layer() != mlp.layer() || in.config().site().point() != Site.Point.MLP_IN)) {
            throw new BadInputException("the input SAE reads " + in.config().site().describe() + ", not layer " + mlp.layer() + " MLP input");
        }
        if (out.config().width() != mlp.width() || (in != null && in.config().width() != mlp.width())) {
            throw new BadInputException("the SAEs' width does not match the model's d_model " + mlp.width());
        }
        this.mlp = mlp;
        this.out = out;
        this.in = in;
        this.samples = samples;
        this.backend = backend;
        Tape tape = new Tape(backend);
        tape.reset(false);
        int n = samples.outputs().rows(), m = out.config().latents();
        // pre = (y − b_dec)·W_encᵀ + b_enc, and the top-k activations
        Tensor centred = samples.outputs().copy();
        Tensor negDec = Tensor.zeros(mlp.width());
        backend.axpby(-1f, out.decoderBias(), 0f, negDec);
        backend.addRowVector(centred, negDec);
        outPre = Tensor.zeros(n, m);
        backend.gemm(false, true, 1f, centred, out.encoderWeight(), 0f, outPre);
        backend.addRowVector(outPre, out.encoderBias());
        outActive = Tensor.zeros(n, m);
        backend.topKRows(outPre, out.config().k(), outActive);
    }

    public int features() {
        return out.config().latents();
    }

    /** {@code u_j} in double. */
    public double[] direction(int feature) {
        int d = mlp.width();
        double[] u = new double[d];
        for (int i = 0; i < d; i++) {
            u[i] = out.encoderWeight().data()[feature * d + i];
        }
        return u;
    }

    /** {@code c_j = b_enc[j] − u_j·b_dec}. */
    public double constant(int feature) {
        double[] u = direction(feature);
        double c = out.encoderBias().data()[feature];
        for (int i = 0; i < u.length; i++) {
            c -= u[i] * out.decoderBias().data()[i];
        }
        return c;
    }

    /** Tokens (row indices into the samples) where the feature is active. */
    public int[] activeTokens(int feature) {
        int n = outActive.rows(), m = outActive.cols();
        int[] rows = new int[n];
        int count = 0;
        for (int t = 0; t < n; t++) {
            if (outActive.data()[t * m + feature] > 0) {
                rows[count++] = t;
            }
        }
        return Arrays.copyOf(rows, count);
    }

    /** The exact pre-activation of a feature at every sample. */
    public double[] preActivation(int feature) {
        int n = outPre.rows(), m = outPre.cols();
        double[] p = new double[n];
        for (int t = 0; t < n; t++) {
            p[t] = outPre.data()[t * m + feature];
        }
        return p;
    }

    /**
     * The largest |mᵀQ(u_j)m + c_j − pre_j| over all samples relative to the largest |pre_j|, over the
     * given features: the decomposition reproduces the forward pass.
     */
    public double exactness(int[] features) {
        double worst = 0;
        for (int j : features) {
            double[] q = mlp.matrix(direction(j));
            double[] form = mlp.quadraticForm(q, samples.inputs());
            double[] pre = preActivation(j);
            double c = constant(j), maxPre = 1e-30, maxErr = 0;
            for (int t = 0; t < pre.length; t++) {
                maxPre = Math.max(maxPre, Math.abs(pre[t]));
                maxErr = Math.max(maxErr, Math.abs(form[t] + c - pre[t]));
            }
            worst = Math.max(worst, maxErr / maxPre);
        }
        return worst;
    }

    /** Every feature's eigenvalue summary, sorted by top-2 |λ| (|λ₁| + |λ₂|) descending. */
    public List<Ranked> rank() {
        int m = features();
        Ranked[] out = new Ranked[m];
        try (Parallel parallel = new Parallel(Math.max(1, backend.threads()))) {
            parallel.forEachPart(m, j -> {
                double[] values = mlp.eigenvalues(direction(j));
                double total = 0;
                for (double v : values) {
                    total += Math.abs(v);
                }
                double l1 = values.length > 0 ? values[0] : 0, l2 = values.length > 1 ? values[1] : 0;
                double top2 = Math.abs(l1) + Math.abs(l2);
                out[j] = new Ranked(j, l1, l2, top2, total > 0 ? top2 / total : 0, activeTokens(j).length);
            });
        }
        List<Ranked> list = new ArrayList<>(Arrays.asList(out));
        list.sort(Comparator.comparingDouble((Ranked r) -> -r.top2()).thenComparingInt(Ranked::feature));
        return list;
    }

    /**
     * Pearson correlation between the top-k approximation and the true pre-activation over the
     * tokens where the feature is active, k = 1..kmax; null when it is active on fewer than
     * {@code minActive} tokens.
     */
    public Correlation correlation(int feature, int kmax, int minActive) {
        int[] active = activeTokens(feature);
        if (active.length < minActive) {
            return null;
        }
        int d = mlp.width(), k = Math.min(kmax, d);
        LeadingPairs e = mlp.leading(direction(feature), k);     // only the first kmax pairs are read
        Tensor x = Tensor.zeros(active.length, d);
        double[] truth = new double[active.length];
        double[] pre = preActivation(feature);
        for (int i = 0; i < active.length; i++) {
            System.arraycopy(samples.inputs().data(), active[i] * d, x.data(), i * d, d);
            truth[i] = pre[active[i]];
        }
        double[][] approx = EigenActivations.cumulative(e.values(), EigenActivations.projections(e, k, x, backend));
        double[] byK = new double[k];
        for (int i = 0; i < k; i++) {
            byK[i] = EigenActivations.correlation(approx[i], truth);
        }
        return new Correlation(feature, active.length, byK);
    }

    /** Correlations for many features in parallel (those active on at least {@code minActive} tokens). */
    public List<Correlation> correlations(int[] features, int kmax, int minActive) {
        Correlation[] out = new Correlation[features.length];
        try (Parallel parallel = new Parallel(Math.max(1, backend.threads()))) {
            parallel.forEachPart(features.length, i -> out[i] = correlation(features[i], kmax, minActive));
        }
        List<Correlation> list = new ArrayList<>();
        for (Correlation c : out) {
            if (c != null) {
                list.add(c);
            }
        }
        return list;
    }

    /**
     * The strongest interactions of input features for output feature j: {@code R = D_inᵀQD_in};
     * self terms {@code R_aa}, cross terms {@code 2R_ab} (a < b), each the {@code top} largest by |·|.
     */
    public List<List<Interaction>> inputInteractions(int feature, int top) {
        if (in == null) {
            throw new BadInputException("input-feature interactions need an SAE at the MLP input (--sae-in)");
        }
        int d = mlp.width(), mi = in.config().latents();
        double[] q = mlp.matrix(direction(feature));
        Tensor qt = Tensor.zeros(d, d);
        for (int i = 0; i < d * d; i++) {
            qt.data()[i] = (float) q[i];
        }
        Tensor qd = Tensor.zeros(d, mi), r = Tensor.zeros(mi, mi);
        backend.gemm(false, false, 1f, qt, in.decoderWeight(), 0f, qd);   // Q·D_in    [D, M]
        backend.gemm(true, false, 1f, in.decoderWeight(), qd, 0f, r);     // D_inᵀQD_in [M, M]
        List<Interaction> self = new ArrayList<>(), cross = new ArrayList<>();
        float[] rd = r.data();
        for (int a = 0; a < mi; a++) {
            self.add(new Interaction(a, a, rd[a * mi + a]));
            for (int b = a + 1; b < mi; b++) {
                cross.add(new Interaction(a, b, 2.0 * rd[a * mi + b]));
            }
        }
        Comparator<Interaction> byMagnitude = Comparator.comparingDouble((Interaction x) -> -Math.abs(x.value()))
                .thenComparingInt(Interaction::a).thenComparingInt(Interaction::b);
        self.sort(byMagnitude);
        cross.sort(byMagnitude);
        return List.of(self.subList(0, Math.min(top, self.size())), cross.subList(0, Math.min(top, cross.size())));
    }

    /** Sample rows where the feature's top-k activation is largest, with that activation. */
    public List<double[]> strongest(int feature, int top) {
        int[] active = activeTokens(feature);
        int m = outActive.cols();
        List<double[]> rows = new ArrayList<>();
        for (int t : active) {
            rows.add(new double[] {t, outActive.data()[t * m + feature]});
        }
        rows.sort(Comparator.comparingDouble((double[] r) -> -r[1]).thenComparingDouble(r -> r[0]));
        return rows.subList(0, Math.min(top, rows.size()));
    }

    public Samples samples() {
        return samples;
    }

    public MlpInteractions mlp() {
        return mlp;
    }

    /** Median of the non-NaN values (NaN when none). */
    public static double median(double[] values) {
        double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : 0.5 * (v[v.length / 2 - 1] + v[v.length / 2]);
    }
}
