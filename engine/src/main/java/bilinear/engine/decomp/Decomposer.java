package bilinear.engine.decomp;

import bilinear.engine.autograd.Tape;
import bilinear.engine.model.BilinearClassifier;
import bilinear.engine.model.ImageModelConfig;
import bilinear.engine.model.Noise;
import bilinear.linalg.Backend;
import bilinear.linalg.Gate;
import bilinear.linalg.Parallel;
import bilinear.linalg.Tensor;
import bilinear.linalg.eigen.EigenOrder;
import bilinear.linalg.eigen.EigenPairs;
import bilinear.linalg.eigen.SymmetricEigen;
import java.util.ArrayList;
import java.util.List;

/**
 * The decomposition of a bilinear classifier {@code x ─E→ h₀ ─block₀→ h₁ … ─block_{L−1}→ h_L ─P→ y}.
 *
 * <pre>
 *   class direction u [O] at the last block:  s = Pᵀu [H]      (plus a zero constant when augmented)
 *   u·y(x) = h̃_{L−1}ᵀ Q(s) h̃_{L−1} = Σ_i λ_i (v_i·h̃_{L−1})²
 *   first block (L = 1):  v_i·h̃₀ = (Eᵀ v_i[0..H])·x + v_i[H]     eigenvectors in pixel space: Eᵀ v
 * </pre>
 * Heavy products ({@code Q(s)}, projections of data onto eigenvectors, {@code Eᵀ v}) go through the
 * model's backend GEMM; eigendecompositions run through the linalg facade, one direction per
 * thread, in double precision unless the decomposer was made with
 * {@link SymmetricEigen.Precision#SINGLE} (faster; eigenpairs good to about 1e-5 of the largest
 * |λ|). Everything is deterministic: the same model gives the same eigenpairs, signs included,
 * for any thread count.
 */
public final class Decomposer {
    private final BilinearClassifier model;
    private final Backend backend;
    private final SymmetricEigen.Precision precision;
    private final List<BlockWeights> blocks = new ArrayList<>();

    /** Refuses (one line, {@link bilinear.engine.BadInputException}) models that do not decompose exactly. */
    public Decomposer(BilinearClassifier model, Backend backend) {
        this(model, backend, SymmetricEigen.Precision.DOUBLE);
    }

    /** A decomposer whose eigensolves run in {@code precision}. */
    public Decomposer(BilinearClassifier model, Backend backend, SymmetricEigen.Precision precision) {
        BlockWeights.checkDecomposable(model.config());
        this.model = model;
        this.backend = backend;
        this.precision = precision;
        for (int i = 0; i < model.config().layers(); i++) {
            blocks.add(BlockWeights.of(model, i));
        }
    }

    public BilinearClassifier model() {
        return model;
    }

    public Backend backend() {
        return backend;
    }

    public ImageModelConfig config() {
        return model.config();
    }

    /** Number of outputs {@code O}. */
    public int outputs() {
        return model.config().classes();
    }

    /** Index of the last block, whose input space the class decompositions live in. */
    public int topLayer() {
        return blocks.size() - 1;
    }

    public BlockWeights block(int layer) {
        return blocks.get(layer);
    }

    /** Whether the class decompositions' eigenvectors map to pixels (a single block reading the embedding). */
    public boolean pixelSpace() {
        return blocks.size() == 1;
    }

    /** {@code s = Pᵀu}, the direction at the last block's output, padded with a zero constant when augmented. */
    public double[] headDirection(OutputDirection u) {
        if (u.vector().length != outputs()) {
            throw new IllegalArgumentException("direction " + u.name() + " has " + u.vector().length + " entries for "
                    + outputs() + " outputs");
        }
        BlockWeights top = blocks.get(topLayer());
        int h = top.hidden();
        double[] s = new double[top.augmented() ? h + 1 : h];
        float[] p = model.head().data();                     // [O, H]
        for (int a = 0; a < outputs(); a++) {
            double ua = u.vector()[a];
            if (ua != 0) {
                for (int k = 0; k < h; k++) {
                    s[k] += ua * p[a * h + k];
                }
            }
        }
        return s;
    }

    /** {@code Q(s)} at a block, row-major {@code [N, N]} (see {@link InteractionMatrix}). */
    public double[] interactionMatrix(int layer, double[] s) {
        return InteractionMatrix.of(blocks.get(layer), s, backend);
    }

    /** The decomposition of one output direction at the last block. */
    public Decomposition decompose(OutputDirection u) {
        return decompose(List.of(u)).getFirst();
    }

    /** Decompositions of several output directions at the last block, eigensolves spread over the threads. */
    public List<Decomposition> decompose(List<OutputDirection> directions) {
        List<String> names = new ArrayList<>();
        List<double[]> s = new ArrayList<>();
        for (OutputDirection u : directions) {
            names.add(u.name());
            s.add(headDirection(u));
        }
        return decomposeLayer(topLayer(), names, s);
    }

    /** Every class's decomposition, class 0 first. */
    public List<Decomposition> decomposeClasses() {
        return decompose(OutputDirection.classes(outputs()));
    }

    /**
     * Decompositions at block {@code layer} for directions {@code s} in its output space. The
     * {@code Q(s)} products run one after the other (each uses every thread in the GEMM), then the
     * eigensolves run in parallel, one direction per thread.
     */
    public List<Decomposition> decomposeLayer(int layer, List<String> names, List<double[]> directions) {
        BlockWeights b = blocks.get(layer);
        int n = b.inputSize(), count = directions.size();
        double[][] q = new double[count][];
        for (int i = 0; i < count; i++) {
            q[i] = interactionMatrix(layer, directions.get(i));
        }
        EigenPairs[] pairs = new EigenPairs[count];
        int threads = Math.max(1, Math.min(backend.threads(), count));
        // One part per thread, each taking every threads-th direction (a pool worker would
        // otherwise queue all but the caller's share); each matrix is solved whole on one thread,
        // so the result does not depend on the thread count.
        try (Parallel parallel = new Parallel(threads)) {
            parallel.forEachPart(threads, t -> {
                for (int i = t; i < count; i += threads) {
                    pairs[i] = SymmetricEigen.decompose(q[i], n, EigenOrder.MAGNITUDE, precision);
                }
            });
        }
        List<Decomposition> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            EigenPairs p = layer == 0 ? orientToInk(pairs[i], b.hidden()) : pairs[i];
            out.add(new Decomposition(names.get(i), layer, b.hidden(), b.augmented(), directions.get(i).clone(), p));
        }
        return out;
    }

    /**
     * An eigenvector's sign is a convention ({@code λ(v·x)²} does not see it). For first-block
     * eigenvectors, which are looked at as pictures, the convention is: the pixel image
     * {@code Eᵀv} sums to a non-negative value, i.e. {@code v·(E·1) ≥ 0}, so the dominant lobe is
     * drawn in the positive colour (blue). Still deterministic; the linalg facade's rule (largest
     * component positive) decides exact ties and deeper blocks.
     */
    private EigenPairs orientToInk(EigenPairs pairs, int h) {
        Tensor e = model.embed();                                 // [H, D]
        int d = e.cols(), n = pairs.n();
        double[] rowSums = new double[h];
        for (int i = 0; i < h; i++) {
            for (int p = 0; p < d; p++) {
                rowSums[i] += e.data()[i * d + p];
            }
        }
        double[] v = pairs.vectors().clone();
        for (int k = 0; k < n; k++) {
            double sum = 0;
            for (int i = 0; i < h; i++) {
                sum += v[k * n + i] * rowSums[i];
            }
            if (sum < 0) {
                for (int j = 0; j < n; j++) {
                    v[k * n + j] = -v[k * n + j];
                }
            }
        }
        return new EigenPairs(n, pairs.values(), v);
    }

    /**
     * The first {@code count} eigenvectors of a first-block decomposition in pixel space,
     * {@code Eᵀ v_i[0..H]} as rows {@code [count, D]} (the constant coordinate, when there is one,
     * is not a pixel: it is the offset {@code v_i[H]} of the affine feature {@code (Eᵀv)·x + v_i[H]}).
     */
    public Tensor pixelVectors(Decomposition d, int count) {
        int[] all = new int[count];
        for (int i = 0; i < count; i++) {
            all[i] = i;
        }
        return pixelVectors(d, all);
    }

    /** Pixel-space eigenvectors {@code Eᵀ v_i} for the given indices, rows {@code [indices.length, D]}. */
    public Tensor pixelVectors(Decomposition d, int[] indices) {
        if (d.layer() != 0) {
            throw new IllegalArgumentException("only first-block eigenvectors map to pixels; " + d.name() + " is at block " + d.layer());
        }
        int h = d.hidden(), n = d.size();
        Tensor v = Tensor.zeros(indices.length, h);              // [K, H]
        float[] all = d.vectorsAsTensor().data();
        for (int r = 0; r < indices.length; r++) {
            System.arraycopy(all, indices[r] * n, v.data(), r * h, h);
        }
        return toPixels(v);
    }

    /** {@code Eᵀ v} for rows {@code v [K, H]}: {@code [K, D]}. */
    public Tensor toPixels(Tensor v) {
        Tensor e = model.embed();                                 // [H, D]
        Tensor out = Tensor.zeros(v.rows(), e.cols());
        backend.gemm(false, false, 1f, v, e, 0f, out);
        return out;
    }

    /**
     * The (augmented) input of block {@code layer} for images {@code x [B, D]}: {@code h̃ [B, N]},
     * running the embedding and the blocks below it exactly as the model's forward pass does.
     */
    public Tensor layerInputs(int layer, Tensor x) {
        ImageModelConfig c = model.config();
        int rows = x.rows(), h = c.hidden();
        Tensor cur = Tensor.zeros(rows, h);
        backend.gemm(false, true, 1f, x, model.embed(), 0f, cur);
        for (int i = 0; i < layer; i++) {
            Tensor z = Tensor.zeros(rows, 2 * h);
            backend.gemm(false, true, 1f, cur, model.block(i), 0f, z);
            if (model.blockBias(i) != null) {
                backend.addRowVector(z, model.blockBias(i));
            }
            Tensor g = Tensor.zeros(rows, h);
            backend.glu(Gate.NONE, z, g);
            if (c.residual()) {
                backend.add(cur, g, g);
            }
            cur = g;
        }
        BlockWeights b = blocks.get(layer);
        if (!b.augmented()) {
            return cur;
        }
        Tensor aug = Tensor.zeros(rows, h + 1);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(cur.data(), r * h, aug.data(), r * (h + 1), h);
            aug.data()[r * (h + 1) + h] = 1f;
        }
        return aug;
    }

    /** Projections {@code z[b, i] = v_i·h̃_b} of block inputs {@code h̃ [B, N]} onto every eigenvector: {@code [B, N]}. */
    public Tensor project(Decomposition d, Tensor inputs) {
        Tensor z = Tensor.zeros(inputs.rows(), d.size());
        backend.gemm(false, true, 1f, inputs, d.vectorsAsTensor(), 0f, z);
        return z;
    }

    /** The model's own logits {@code [B, O]} for images {@code x [B, D]} (its forward pass, no noise). */
    public Tensor logits(Tensor x) {
        Tape tape = new Tape(backend);
        tape.reset(false);
        Tensor y = model.forward(tape, tape.constant(x), Noise.NONE).value();
        Tensor out = Tensor.zeros(y.rows(), y.cols());
        System.arraycopy(y.data(), 0, out.data(), 0, out.size());
        tape.reset(false);
        return out;
    }
}
