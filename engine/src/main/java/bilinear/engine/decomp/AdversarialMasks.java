package bilinear.engine.decomp;

import bilinear.engine.BadInputException;
import bilinear.engine.data.ImageDataset;
import bilinear.linalg.Backend;
import bilinear.linalg.CounterRng;
import bilinear.linalg.Gate;
import bilinear.linalg.Tensor;
import bilinear.linalg.eigen.Svd;
import java.util.ArrayList;
import java.util.List;

/**
 * Adversarial masks from the weights alone. Stack the (embedding-space) eigenvectors of the top
 * {@code k} positive eigenvalues of every class into {@code M [O·k, H]} and take its
 * pseudo-inverse: the columns of {@code M⁺ [H, O·k]} are dual ("encoder") vectors, each with
 * projection 1 onto one eigenvector and 0 onto all the others ({@code M M⁺ = I} at full row rank,
 * which needs {@code O·k ≤ H}). The mask of a target class {@code t} adds up the duals of
 * {@code t}'s eigenvectors and is mapped to pixels through the embedding, like the eigenvectors:
 *
 * <pre>
 *   d_t = Σ_{j ∈ t} σ_j M⁺ e_j          [H]
 *   m_t = Eᵀ d_t,  then scaled so that std(m_t) = the chosen std      [D]
 * </pre>
 * The dual raises the projection on every top positive eigenvector of {@code t} and leaves every
 * other class's top eigenvectors alone; {@code Eᵀ} turns it into the pixel pattern the embedding
 * reads most strongly in that direction. The sign {@code σ_j} points each push the way the training
 * images already project ({@code σ_j = sign(v_j·E x̄)}, x̄ the mean training image):
 * {@code (v·h + α)²} grows fastest where {@code v·h} is already on α's side.
 *
 * <p>The control is a random mask with exactly the same pixel values (a seeded permutation of
 * {@code m_t}): same norm, same histogram, no structure. Images are not clamped to [0, 1] (the
 * question is what the weights respond to, not what a camera could produce). Each target is
 * evaluated on the test images of the other classes: accuracy, and the fraction moved into the
 * target class. This works best on models trained without input noise, whose eigenvectors lean
 * on rarely used edge pixels.
 */
public final class AdversarialMasks {
    private AdversarialMasks() {
    }

    /**
     * @param target           the class the mask pushes towards
     * @param images           test images of the other classes
     * @param cleanAccuracy    accuracy on them without a mask
     * @param maskAccuracy     accuracy with the mask added
     * @param maskIntoTarget   fraction classified as the target with the mask
     * @param randomAccuracy   accuracy with the permuted (random) mask
     * @param randomIntoTarget fraction classified as the target with the random mask
     */
    public record Target(int target, int images, double cleanAccuracy, double maskAccuracy, double maskIntoTarget,
                         double randomAccuracy, double randomIntoTarget) {
    }

    /**
     * @param std       the masks' standard deviation
     * @param perClass  eigenvectors per class in the stack
     * @param targets   one entry per class
     * @param masks     {@code m_t [O, D]}, rows by target class
     * @param random    the permuted control masks {@code [O, D]}
     * @param duals     {@code d_t [O, H]}, scaled like the masks ({@code m_t = Eᵀ d_t})
     */
    public record Result(double std, int perClass, List<Target> targets, Tensor masks, Tensor random, Tensor duals) {
        public double meanMaskAccuracy() {
            return targets.stream().mapToDouble(Target::maskAccuracy).average().orElse(Double.NaN);
        }

        public double meanRandomAccuracy() {
            return targets.stream().mapToDouble(Target::randomAccuracy).average().orElse(Double.NaN);
        }

        public double meanMaskIntoTarget() {
            return targets.stream().mapToDouble(Target::maskIntoTarget).average().orElse(Double.NaN);
        }

        public double meanRandomIntoTarget() {
            return targets.stream().mapToDouble(Target::randomIntoTarget).average().orElse(Double.NaN);
        }
    }

    /**
     * Builds the masks of every class and evaluates them on the first {@code limit} test images.
     * {@code train} gives the mean image for the signs.
     */
    public static Result run(Decomposer dec, List<Decomposition> classes, ImageDataset train, ImageDataset test,
                             double std, int perClass, int limit, long seed) {
        if (!dec.pixelSpace()) {
            throw new BadInputException("adversarial masks need a single-block model, whose eigenvectors live in pixel space ("
                    + dec.config().describe() + ")");
        }
        if (!(std > 0) || !Double.isFinite(std)) {
            throw new BadInputException("--std must be a positive number, got " + std);
        }
        if (limit < 1) {
            throw new BadInputException("--limit must be at least 1, got " + limit);
        }
        int o = classes.size(), d = dec.config().inputDim(), h = dec.config().hidden();
        if (perClass < 1 || o * perClass > h) {
            throw new BadInputException("--eigenvectors " + perClass + " is out of range: " + o + " classes × " + perClass + " = "
                    + o * perClass + " eigenvectors cannot be independent in the " + h + "-dimensional embedding (use 1–" + h / o + ")");
        }
        for (Decomposition c : classes) {
            if (c.topPositive(perClass).length < perClass) {
                throw new BadInputException("--eigenvectors " + perClass + " is out of range: " + c.name() + " has only "
                        + c.topPositive(perClass).length + " positive eigenvalues");
            }
        }
        double[] meanHidden = embedMean(dec, meanImage(train));        // E x̄ [H]
        int rows = o * perClass;
        double[] stack = new double[rows * h];                          // M [O·k, H]
        double[] sign = new double[rows];
        for (int a = 0; a < o; a++) {
            int[] top = classes.get(a).topPositive(perClass);
            for (int j = 0; j < perClass; j++) {
                double[] v = classes.get(a).vector(top[j]);
                double dot = 0;
                for (int p = 0; p < h; p++) {
                    stack[(a * perClass + j) * h + p] = v[p];
                    dot += v[p] * meanHidden[p];
                }
                sign[a * perClass + j] = dot < 0 ? -1 : 1;
            }
        }
        double[] dual = Svd.pseudoInverse(stack, rows, h, 1e-10);       // M⁺ [H, O·k]
        Tensor duals = Tensor.zeros(o, h);
        for (int t = 0; t < o; t++) {
            for (int j = t * perClass; j < (t + 1) * perClass; j++) {
                for (int p = 0; p < h; p++) {
                    duals.data()[t * h + p] += (float) (sign[j] * dual[p * rows + j]);
                }
            }
        }
        Tensor masks = dec.toPixels(duals), random = Tensor.zeros(o, d);    // Eᵀ d_t  [O, D]
        for (int t = 0; t < o; t++) {
            double scale = std / standardDeviation(masks.data(), t * d, d);
            int[] perm = permutation(d, CounterRng.split(seed, t));
            for (int p = 0; p < d; p++) {
                masks.data()[t * d + p] *= (float) scale;
            }
            for (int p = 0; p < h; p++) {
                duals.data()[t * h + p] *= (float) scale;
            }
            for (int p = 0; p < d; p++) {
                random.data()[t * d + p] = masks.data()[t * d + perm[p]];
            }
        }
        int n = Math.min(limit, test.size());
        MaskedForward forward = new MaskedForward(dec, test, n);
        int[] clean = forward.predict(null, 0);
        List<Target> targets = new ArrayList<>();
        for (int t = 0; t < o; t++) {
            int[] withMask = forward.predict(masks, t), withRandom = forward.predict(random, t);
            int images = 0, cleanOk = 0, maskOk = 0, maskInto = 0, randomOk = 0, randomInto = 0;
            for (int i = 0; i < n; i++) {
                int label = test.labels()[i];
                if (label == t) {
                    continue;
                }
                images++;
                cleanOk += clean[i] == label ? 1 : 0;
                maskOk += withMask[i] == label ? 1 : 0;
                maskInto += withMask[i] == t ? 1 : 0;
                randomOk += withRandom[i] == label ? 1 : 0;
                randomInto += withRandom[i] == t ? 1 : 0;
            }
            double m = Math.max(1, images);
            targets.add(new Target(t, images, cleanOk / m, maskOk / m, maskInto / m, randomOk / m, randomInto / m));
        }
        return new Result(std, perClass, targets, masks, random, duals);
    }

    /**
     * The single-block model on {@code x + m} for many masks {@code m}, sharing the linear part:
     * {@code E(x + m) = Ex + Em} and {@code B E(x + m) + b = (BEx + b) + BEm}, so the two large
     * products over the images run once and each mask costs two matrix–vector products, the gate
     * and the head. The same arithmetic as the forward pass, reordered.
     */
    private static final class MaskedForward {
        private final Decomposer dec;
        private final Tensor h0;        // E x       [N, H]
        private final Tensor z0;        // B E x + b [N, 2H]

        MaskedForward(Decomposer dec, ImageDataset test, int n) {
            this.dec = dec;
            int d = test.features(), h = dec.config().hidden();
            Backend be = dec.backend();
            Tensor x = Tensor.wrap(test.images(0, n), n, d);
            h0 = Tensor.zeros(n, h);
            be.gemm(false, true, 1f, x, dec.model().embed(), 0f, h0);
            z0 = Tensor.zeros(n, 2 * h);
            be.gemm(false, true, 1f, h0, dec.model().block(0), 0f, z0);
            if (dec.model().blockBias(0) != null) {
                be.addRowVector(z0, dec.model().blockBias(0));
            }
        }

        /** Predicted classes with row {@code row} of {@code masks} added to every image (none when null). */
        int[] predict(Tensor masks, int row) {
            Backend be = dec.backend();
            int n = h0.rows(), h = h0.cols(), d = dec.config().inputDim(), o = dec.outputs();
            Tensor hm = Tensor.zeros(1, h), zm = Tensor.zeros(1, 2 * h);
            if (masks != null) {
                Tensor m = Tensor.wrap(java.util.Arrays.copyOfRange(masks.data(), row * d, (row + 1) * d), 1, d);
                be.gemm(false, true, 1f, m, dec.model().embed(), 0f, hm);              // E m
                be.gemm(false, true, 1f, hm, dec.model().block(0), 0f, zm);            // B E m
            }
            Tensor z = z0.copy();
            be.addRowVector(z, zm);
            Tensor g = Tensor.zeros(n, h);
            be.glu(Gate.NONE, z, g);
            if (dec.config().residual()) {
                Tensor skip = h0.copy();
                be.addRowVector(skip, hm);
                be.add(skip, g, g);
            }
            Tensor logits = Tensor.zeros(n, o);
            be.gemm(false, true, 1f, g, dec.model().head(), 0f, logits);
            int[] out = new int[n];
            for (int b = 0; b < n; b++) {
                out[b] = Truncation.argmax(logits.data(), b * o, o);
            }
            return out;
        }
    }

    private static double[] meanImage(ImageDataset data) {
        int d = data.features();
        double[] m = new double[d];
        for (int i = 0; i < data.size(); i++) {
            for (int p = 0; p < d; p++) {
                m[p] += data.pixel(i, p);
            }
        }
        for (int p = 0; p < d; p++) {
            m[p] /= data.size();
        }
        return m;
    }

    /** {@code E x̄}: the mean image in the embedding space. */
    private static double[] embedMean(Decomposer dec, double[] mean) {
        Tensor e = dec.model().embed();                                 // [H, D]
        int h = e.rows(), d = e.cols();
        double[] out = new double[h];
        for (int i = 0; i < h; i++) {
            for (int p = 0; p < d; p++) {
                out[i] += e.data()[i * d + p] * mean[p];
            }
        }
        return out;
    }

    private static double standardDeviation(float[] v, int from, int n) {
        double mean = 0, sq = 0;
        for (int i = from; i < from + n; i++) {
            mean += v[i];
        }
        mean /= n;
        for (int i = from; i < from + n; i++) {
            sq += (v[i] - mean) * (v[i] - mean);
        }
        double s = Math.sqrt(sq / n);
        if (!(s > 0)) {
            throw new ArithmeticException("a mask came out constant; the eigenvector stack is degenerate");
        }
        return s;
    }

    /** A seeded Fisher–Yates permutation of {@code 0..n−1}. */
    static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        int key = CounterRng.key1(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = (int) (CounterRng.uniform(CounterRng.hash(i, key)) * (i + 1));
            j = Math.min(j, i);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }
}
