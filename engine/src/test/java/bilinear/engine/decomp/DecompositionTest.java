package bilinear.engine.decomp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bilinear.engine.TestSupport;
import bilinear.engine.data.Datasets;
import bilinear.engine.data.ImageDataset;
import bilinear.engine.io.Checkpoint;
import bilinear.engine.model.BilinearClassifier;
import bilinear.engine.model.ImageModelConfig;
import bilinear.linalg.Backend;
import bilinear.linalg.Gate;
import bilinear.linalg.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The decomposition is the model: the closed form equals the explicit third-order tensor, and
 * {@code Σ λ (v·h̃)²} reproduces the forward pass to float precision, with and without biases,
 * residual connections and a second block.
 */
class DecompositionTest {
    static final double FLOAT_EXACT = 2e-5;   // relative to max |logit|: float32 weights and products

    static BilinearClassifier model(int input, int hidden, int classes, int layers, boolean residual, boolean bias, long seed) {
        BilinearClassifier m = BilinearClassifier.initialise(new ImageModelConfig(input, hidden, classes, layers, residual, Gate.NONE, bias), seed);
        // larger biases than the default init, so that the constant-input terms matter
        for (int i = 0; bias && i < layers; i++) {
            Tensor b = m.blockBias(i);
            for (int j = 0; j < b.size(); j++) {
                b.data()[j] = 0.5f * TestSupport.gaussian(seed + 100 + i, 1f, b.size()).data()[j];
            }
        }
        return m;
    }

    /**
     * {@code Σ_a u_a sym(B_a)} with the explicit tensor {@code B_aij = Σ_h P_ah W̃_hi Ṽ_hj} of a
     * single-block model, built entry by entry (the only place the o×N×N tensor exists).
     */
    static double[] explicitContraction(BilinearClassifier m, double[] u) {
        BlockWeights b = BlockWeights.of(m, 0);
        int h = b.hidden(), n = b.inputSize(), o = u.length;
        double[][][] tensor = new double[o][n][n];
        for (int a = 0; a < o; a++) {
            for (int k = 0; k < h; k++) {
                double p = m.head().get(a, k);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        tensor[a][i][j] += p * b.left().get(k, i) * b.right().get(k, j);
                    }
                }
            }
        }
        double[] q = new double[n * n];
        for (int a = 0; a < o; a++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    q[i * n + j] += u[a] * 0.5 * (tensor[a][i][j] + tensor[a][j][i]);
                }
            }
        }
        return q;
    }

    @Test
    void closedFormEqualsTheExplicitTensor() {
        for (boolean bias : new boolean[] {false, true}) {
            BilinearClassifier m = model(12, 7, 5, 1, false, bias, bias ? 2 : 1);
            for (Backend be : TestSupport.all()) {
                Decomposer dec = new Decomposer(m, be);
                double[] u = {0.3, -1.2, 0.0, 2.0, 0.7};
                double[] closed = dec.interactionMatrix(0, dec.headDirection(new OutputDirection("u", u)));
                double[] explicit = explicitContraction(m, u);
                double scale = 0;
                for (double x : explicit) {
                    scale = Math.max(scale, Math.abs(x));
                }
                for (int i = 0; i < explicit.length; i++) {
                    assertEquals(explicit[i], closed[i], 1e-6 * scale, "Q(u) entry " + i + " (bias " + bias + ", " + be.name() + ")");
                }
            }
        }
    }

    /** max |Σλ(v·h̃)² − logit| / max |logit| over the images, for every class, on both backends. */
    static double relativeError(BilinearClassifier m, ImageDataset data) {
        double worst = 0;
        for (Backend be : TestSupport.all()) {
            Decomposer dec = new Decomposer(m, be);
            List<Decomposition> classes = dec.decomposeClasses();
            Exactness.Result r = Exactness.check(dec, OutputDirection.classes(dec.outputs()), classes, data);
            assertEquals(data.size(), r.samples());
            assertTrue(r.maxAbsLogit() > 0);
            worst = Math.max(worst, r.relative());
            System.out.printf("exactness %s on %s (%s): max error %.3g, max |logit| %.3g, relative %.3g%n",
                    m.config().describe(), data.name(), be.name(), r.maxAbsError(), r.maxAbsLogit(), r.relative());
        }
        return worst;
    }

    /** Images of uniformly random grey levels. */
    static ImageDataset noise(long seed, int n, int side) {
        byte[] levels = new byte[n * side * side];
        new SplittableRandom(seed).nextBytes(levels);
        return new ImageDataset("noise", levels, new int[n], side, side, 10);
    }

    @Test
    void exactOnTheBundledDigits() {
        ImageDataset test = Datasets.load(Datasets.BUNDLED, null).test();
        double trained = relativeError(Checkpoint.load(TestSupport.fixture("torch_classifier.safetensors")).model(), test);
        assertTrue(trained < FLOAT_EXACT, "trained reference model: relative error " + trained);
        double fresh = relativeError(model(784, 48, 10, 1, false, false, 3), test);
        assertTrue(fresh < FLOAT_EXACT, "freshly initialised d=48 model: relative error " + fresh);
    }

    @Test
    void exactWithBiasesAndResidualConnections() {
        ImageDataset data = noise(9, 300, 4);
        for (boolean residual : new boolean[] {false, true}) {
            for (boolean bias : new boolean[] {false, true}) {
                double err = relativeError(model(16, 9, 10, 1, residual, bias, 11), data);
                assertTrue(err < FLOAT_EXACT, "residual " + residual + ", bias " + bias + ": relative error " + err);
            }
        }
    }

    @Test
    void linearTermAndConstantOfABiasedBlock() {
        // h̃ᵀQh̃ = hᵀQ_hh h + 2qᵀh + κ: with h = 0 the output is κ; the linear term is the gradient at 0
        BilinearClassifier m = model(16, 9, 10, 1, false, true, 21);
        Decomposer dec = new Decomposer(m, TestSupport.scalar());
        Decomposition d = dec.decompose(OutputDirection.ofClass(4, 10));
        Tensor zero = Tensor.zeros(1, 16);
        assertEquals(dec.logits(zero).data()[4], d.constant(), 1e-5, "κ is the logit of a black image");
        double[] q = d.linearTerm();
        Tensor pixels = dec.toPixels(Tensor.wrap(toFloats(q), 1, q.length));    // 2Eᵀq: the linear term's image
        float eps = 1e-3f;
        for (int p = 0; p < 16; p += 5) {
            Tensor x = Tensor.zeros(2, 16);
            x.data()[p] = eps;
            x.data()[16 + p] = -eps;
            Tensor y = dec.logits(x);
            double slope = (y.get(0, 4) - y.get(1, 4)) / (2 * eps);
            assertEquals(slope, pixels.data()[p], 2e-3 * Math.max(1, Math.abs(slope)), "∂logit/∂x_" + p + " at 0");
        }
    }

    @Test
    void twoBlocksDecomposeRecursively() {
        ImageDataset data = noise(4, 200, 4);
        for (boolean residual : new boolean[] {false, true}) {
            for (boolean bias : new boolean[] {false, true}) {
                BilinearClassifier m = model(16, 6, 10, 2, residual, bias, 13);
                Decomposer dec = new Decomposer(m, TestSupport.simd(2));
                assertEquals(1, dec.topLayer());
                double topErr = relativeError(m, data);
                assertTrue(topErr < FLOAT_EXACT, "top block against the forward pass: " + topErr);
                Tensor x = Tensor.wrap(data.images(0, data.size()), data.size(), 16);
                Tensor logits = dec.logits(x);
                for (int c : new int[] {0, 7}) {
                    Recursion.Node tree = Recursion.build(dec, dec.decompose(OutputDirection.ofClass(c, 10)), Integer.MAX_VALUE);
                    assertTrue(tree.expanded(tree.decomposition().size() - 1), "every eigenvector expanded");
                    double[] y = Recursion.evaluate(dec, tree, x);
                    double maxErr = 0, maxLogit = 0;
                    for (int b = 0; b < data.size(); b++) {
                        maxErr = Math.max(maxErr, Math.abs(y[b] - logits.get(b, c)));
                        maxLogit = Math.max(maxLogit, Math.abs(logits.get(b, c)));
                    }
                    assertTrue(maxErr < 1e-4 * maxLogit, "Σλ(Σμ(w·h̃)²)² = logit (residual " + residual + ", bias "
                            + bias + ", class " + c + "): " + maxErr + " vs " + maxLogit);
                }
            }
        }
    }

    @Test
    void theReferenceTwoBlockBiasedModelIsExact() {
        ImageDataset test = Datasets.load(Datasets.BUNDLED, null).test();
        double err = relativeError(Checkpoint.load(TestSupport.fixture("torch_biased.safetensors")).model(), test);
        assertTrue(err < FLOAT_EXACT, "PyTorch-initialised two-block model with biases: " + err);
    }

    @Test
    void deterministicForAnyThreadCount() {
        // 32: the eigensolver's small path (implicit QL); 130: blocked reduction and divide and conquer.
        for (int hidden : new int[] {32, 130}) {
            BilinearClassifier m = model(784, hidden, 10, 1, false, false, 5);
            List<Decomposition> one = new Decomposer(m, TestSupport.simd(1)).decomposeClasses();
            List<Decomposition> two = new Decomposer(m, TestSupport.simd(2)).decomposeClasses();
            for (int c = 0; c < 10; c++) {
                assertArrayEquals(one.get(c).values(), two.get(c).values(), 0);
                assertArrayEquals(one.get(c).vectorsAsTensor().data(), two.get(c).vectorsAsTensor().data(), 0);
            }
        }
    }

    @Test
    void pixelEigenvectorsAreSignedSoTheirPictureSumsToANonNegativeValue() {
        Decomposer dec = new Decomposer(Checkpoint.load(TestSupport.fixture("torch_classifier.safetensors")).model(), TestSupport.scalar());
        for (Decomposition d : dec.decomposeClasses()) {
            Tensor pix = dec.pixelVectors(d, d.size());
            for (int i = 0; i < d.size(); i++) {
                double sum = 0;
                for (int p = 0; p < 784; p++) {
                    sum += pix.data()[i * 784 + p];
                }
                assertTrue(sum >= -1e-6, d.name() + " eigenvector " + i + " sums to " + sum);
            }
        }
    }

    static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
