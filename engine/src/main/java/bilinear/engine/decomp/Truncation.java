package bilinear.engine.decomp;

import bilinear.engine.BadInputException;
import bilinear.engine.data.ImageDataset;
import bilinear.linalg.Backend;
import bilinear.linalg.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How many eigenvectors a classifier really uses: keep only {@code k} eigenvectors per class,
 *
 * <pre>
 *   ŷ_a(x) = Σ_{i ∈ S_a(k)} λ_ai (v_ai·h̃(x))²
 * </pre>
 * and measure test accuracy of {@code argmax_a ŷ_a} against {@code k}. Three rules choose
 * {@code S_a(k)}:
 * <ul>
 *   <li>{@link Rule#MAGNITUDE}: the {@code k} largest {@code |λ|};
 *   <li>{@link Rule#ACTIVATION}: the {@code k} largest mean activations over the training set,
 *       {@code |λ_i| · E[(v_i·h̃)²] = |λ_i| · v_iᵀ C v_i} with the second-moment matrix
 *       {@code C = E[h̃ h̃ᵀ]} (one GEMM over the training set, not one pass per eigenvector);
 *   <li>{@link Rule#SIGNED}: the {@code k} largest positive and the {@code k} most negative
 *       eigenvalues ({@code 2k} vectors; fewer when a side runs out).
 * </ul>
 * With {@code k} = all eigenvectors every rule gives the model itself ({@link Exactness}).
 */
public final class Truncation {
    private Truncation() {
    }

    public enum Rule {
        MAGNITUDE("magnitude", "largest |λ|"),
        ACTIVATION("activation", "largest mean activation"),
        SIGNED("signed", "k positive + k negative");

        public final String id;
        public final String description;

        Rule(String id, String description) {
            this.id = id;
            this.description = description;
        }

        public static Rule parse(String s) {
            for (Rule r : values()) {
                if (r.id.equals(s.trim().toLowerCase(Locale.ROOT))) {
                    return r;
                }
            }
            throw new BadInputException("unknown truncation rule '" + s + "' (expected magnitude, activation or signed)");
        }
    }

    /** Test accuracy for each {@code ks[j]} under one rule. */
    public record Curve(Rule rule, int[] ks, double[] accuracy) {
    }

    /**
     * @param fullAccuracy the model's own test accuracy (its forward pass)
     * @param curves       one per rule asked for
     * @param samples      test images
     */
    public record Result(double fullAccuracy, List<Curve> curves, int samples) {
        public Curve curve(Rule r) {
            return curves.stream().filter(c -> c.rule() == r).findFirst().orElseThrow();
        }
    }

    /** Fails with one line unless every k is in {@code [1, eigenvectors]}. */
    public static void checkKs(int[] ks, int eigenvectors) {
        if (ks.length == 0) {
            throw new BadInputException("no k given");
        }
        for (int k : ks) {
            if (k < 1 || k > eigenvectors) {
                throw new BadInputException("k = " + k + " is out of range: each class has " + eigenvectors
                        + " eigenvectors (k must be 1–" + eigenvectors + ")");
            }
        }
    }

    /**
     * Accuracy versus k on {@code test} for the class decompositions (class 0 first) at the top block.
     * {@code train} is only read for {@link Rule#ACTIVATION} (may be null otherwise).
     */
    public static Result run(Decomposer dec, List<Decomposition> classes, ImageDataset test, ImageDataset train,
                             int[] ks, List<Rule> rules) {
        int n = classes.getFirst().size(), o = classes.size();
        checkKs(ks, n);
        // per rule and class: the order in which eigenvectors join (SIGNED: positives and negatives apart)
        int[][][] order = new int[rules.size()][o][];
        double[][] meanActivation = rules.contains(Rule.ACTIVATION) ? meanActivations(dec, classes, train) : null;
        for (int r = 0; r < rules.size(); r++) {
            for (int a = 0; a < o; a++) {
                order[r][a] = switch (rules.get(r)) {
                    case MAGNITUDE -> identity(n);
                    case ACTIVATION -> byDecreasing(meanActivation[a]);
                    case SIGNED -> null;
                };
            }
        }
        int d = test.features(), samples = test.size();
        int[][] correct = new int[rules.size()][ks.length];
        int fullCorrect = 0;
        for (int from = 0; from < samples; from += Exactness.BATCH) {
            int count = Math.min(Exactness.BATCH, samples - from);
            Tensor x = Tensor.zeros(count, d);
            test.copyImages(from, count, x.data(), 0);
            Tensor logits = dec.logits(x);
            Tensor inputs = dec.layerInputs(dec.topLayer(), x);
            double[][][][] truncated = new double[rules.size()][ks.length][count][o];
            for (int a = 0; a < o; a++) {
                Decomposition da = classes.get(a);
                double[] lambda = da.values();
                float[] z = dec.project(da, inputs).data();
                int[] pos = da.topPositive(n), neg = da.topNegative(n);
                double[] act = new double[n];
                for (int b = 0; b < count; b++) {
                    for (int i = 0; i < n; i++) {
                        double zi = z[b * n + i];
                        act[i] = lambda[i] * zi * zi;
                    }
                    for (int r = 0; r < rules.size(); r++) {
                        for (int j = 0; j < ks.length; j++) {
                            truncated[r][j][b][a] = rules.get(r) == Rule.SIGNED
                                    ? prefixSum(act, pos, ks[j]) + prefixSum(act, neg, ks[j])
                                    : prefixSum(act, order[r][a], ks[j]);
                        }
                    }
                }
            }
            for (int b = 0; b < count; b++) {
                int label = test.labels()[from + b];
                if (argmax(logits.data(), b * o, o) == label) {
                    fullCorrect++;
                }
                for (int r = 0; r < rules.size(); r++) {
                    for (int j = 0; j < ks.length; j++) {
                        if (argmax(truncated[r][j][b], 0, o) == label) {
                            correct[r][j]++;
                        }
                    }
                }
            }
        }
        List<Curve> curves = new ArrayList<>();
        for (int r = 0; r < rules.size(); r++) {
            double[] acc = new double[ks.length];
            for (int j = 0; j < ks.length; j++) {
                acc[j] = correct[r][j] / (double) samples;
            }
            curves.add(new Curve(rules.get(r), ks.clone(), acc));
        }
        return new Result(fullCorrect / (double) samples, curves, samples);
    }

    /**
     * {@code |λ_ai| · v_aiᵀ C v_ai} with {@code C = (1/N) Σ h̃ h̃ᵀ} over the training set: the mean
     * of {@code |λ (v·h̃)²|}, for every class {@code a} and eigenvector {@code i}.
     */
    public static double[][] meanActivations(Decomposer dec, List<Decomposition> classes, ImageDataset train) {
        if (train == null) {
            throw new IllegalArgumentException("the activation rule needs the training set");
        }
        Backend be = dec.backend();
        int n = classes.getFirst().size(), d = train.features();
        Tensor second = Tensor.zeros(n, n);                               // C = Σ h̃ h̃ᵀ, then / N
        for (int from = 0; from < train.size(); from += Exactness.BATCH) {
            int count = Math.min(Exactness.BATCH, train.size() - from);
            Tensor x = Tensor.zeros(count, d);
            train.copyImages(from, count, x.data(), 0);
            Tensor h = dec.layerInputs(dec.topLayer(), x);
            be.gemm(true, false, 1f, h, h, from == 0 ? 0f : 1f, second);
        }
        double[][] out = new double[classes.size()][n];
        Tensor vc = Tensor.zeros(n, n);
        for (int a = 0; a < classes.size(); a++) {
            Decomposition da = classes.get(a);
            Tensor v = da.vectorsAsTensor();                               // rows v_i
            be.gemm(false, false, 1f, v, second, 0f, vc);                  // V·C
            for (int i = 0; i < n; i++) {
                double q = 0;
                for (int j = 0; j < n; j++) {
                    q += (double) vc.data()[i * n + j] * v.data()[i * n + j];
                }
                out[a][i] = Math.abs(da.value(i)) * q / train.size();
            }
        }
        return out;
    }

    private static double prefixSum(double[] act, int[] order, int k) {
        double s = 0;
        for (int i = 0, m = Math.min(k, order.length); i < m; i++) {
            s += act[order[i]];
        }
        return s;
    }

    static int[] identity(int n) {
        int[] o = new int[n];
        for (int i = 0; i < n; i++) {
            o[i] = i;
        }
        return o;
    }

    /** Indices by decreasing value, ties by index. */
    static int[] byDecreasing(double[] v) {
        return java.util.stream.IntStream.range(0, v.length).boxed()
                .sorted((p, q) -> v[q] != v[p] ? Double.compare(v[q], v[p]) : Integer.compare(p, q))
                .mapToInt(Integer::intValue).toArray();
    }

    static int argmax(double[] v, int from, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (v[from + i] > v[from + best]) {
                best = i;
            }
        }
        return best;
    }

    static int argmax(float[] v, int from, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (v[from + i] > v[from + best]) {
                best = i;
            }
        }
        return best;
    }
}
