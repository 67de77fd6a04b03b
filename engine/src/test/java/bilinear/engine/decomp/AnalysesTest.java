package bilinear.engine.decomp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bilinear.engine.BadInputException;
import bilinear.engine.TestSupport;
import bilinear.engine.data.DataSplit;
import bilinear.engine.data.Datasets;
import bilinear.engine.io.Checkpoint;
import bilinear.engine.model.BilinearClassifier;
import bilinear.engine.train.Evaluation;
import bilinear.linalg.Tensor;
import bilinear.linalg.eigen.Svd;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The analyses built on the decomposition, on the PyTorch-trained reference model and small random ones. */
class AnalysesTest {
    static final DataSplit DIGITS = Datasets.load(Datasets.BUNDLED, null);
    static final BilinearClassifier TORCH = Checkpoint.load(TestSupport.fixture("torch_classifier.safetensors")).model();

    @Test
    void truncationWithEveryEigenvectorIsTheModelAndFewerCostAccuracy() {
        Decomposer dec = new Decomposer(TORCH, TestSupport.simd(2));
        List<Decomposition> classes = dec.decomposeClasses();
        int n = classes.getFirst().size();
        int[] ks = {1, 2, 5, n};
        Truncation.Result r = Truncation.run(dec, classes, DIGITS.test(), DIGITS.train(), ks, List.of(Truncation.Rule.values()));
        double full = Evaluation.evaluate(TORCH, DIGITS.test(), TestSupport.simd(2)).accuracy();
        assertEquals(full, r.fullAccuracy(), 0, "the model's accuracy");
        for (Truncation.Curve c : r.curves()) {
            assertEquals(full, c.accuracy()[3], 0, c.rule() + " with all " + n + " eigenvectors is the model");
            assertTrue(c.accuracy()[0] < full, c.rule() + ": one eigenvector per class loses accuracy " + Arrays.toString(c.accuracy()));
            assertTrue(c.accuracy()[0] > 0.2, c.rule() + ": but one is far above chance " + Arrays.toString(c.accuracy()));
        }
        BadInputException e = assertThrows(BadInputException.class,
                () -> Truncation.run(dec, classes, DIGITS.test(), null, new int[] {n + 1}, List.of(Truncation.Rule.MAGNITUDE)));
        assertEquals("k = 33 is out of range: each class has 32 eigenvectors (k must be 1–32)", e.getMessage());
    }

    @Test
    void meanActivationsAreTheMeanOfLambdaTimesSquaredProjections() {
        Decomposer dec = new Decomposer(TORCH, TestSupport.scalar());
        List<Decomposition> classes = dec.decomposeClasses().subList(0, 2);
        var train = DIGITS.train().slice("first500", 0, 500);
        double[][] closed = Truncation.meanActivations(dec, classes, train);
        Tensor z = dec.project(classes.get(1), dec.layerInputs(0, Tensor.wrap(train.images(0, 500), 500, 784)));
        for (int i = 0; i < 5; i++) {
            double direct = 0;
            for (int b = 0; b < 500; b++) {
                direct += Math.abs(classes.get(1).value(i)) * z.get(b, i) * (double) z.get(b, i) / 500;
            }
            assertEquals(direct, closed[1][i], 1e-4 * direct, "eigenvector " + i + ": |λ| vᵀCv = mean |λ|(v·h)²");
        }
    }

    @Test
    void consistencyOfAModelWithItselfIsOneAndWithAnotherIsLess() {
        Decomposer a = new Decomposer(TORCH, TestSupport.simd(2));
        List<Decomposition> da = a.decomposeClasses();
        Consistency.Result self = Consistency.compare(a, da, a, da, 3);
        for (double m : self.meanByRank()) {
            assertEquals(1, m, 1e-6);
        }
        Decomposer b = new Decomposer(DecompositionTest.model(784, 20, 10, 1, false, false, 77), TestSupport.simd(2));
        Consistency.Result other = Consistency.compare(a, da, b, b.decomposeClasses(), 3);
        assertTrue(other.meanByRank()[0] < 0.9, "a random model shares no features: " + other.meanByRank()[0]);
        assertThrows(BadInputException.class, () -> Consistency.compare(a, da, b, b.decomposeClasses(), 21));
    }

    @Test
    void explanationsAddUpToTheLogit() {
        Decomposer dec = new Decomposer(TORCH, TestSupport.scalar());
        List<Decomposition> classes = dec.decomposeClasses();
        float[] image = DIGITS.test().image(0);
        Explanation.Result r = Explanation.explain(dec, classes, image, 2, 32);
        assertEquals(2, r.classes().size());
        assertEquals(r.predicted(), r.classes().getFirst().cls());
        for (Explanation.ClassExplanation c : r.classes()) {
            assertEquals(0, c.rest(), 1e-5 * Math.abs(c.logit()), "every term shown: nothing left over");
            for (int i = 1; i < c.positive().size(); i++) {
                assertTrue(c.positive().get(i - 1).activation() >= c.positive().get(i).activation());
            }
        }
        Explanation.Result few = Explanation.explain(dec, classes, image, 1, 3);
        Explanation.ClassExplanation top = few.classes().getFirst();
        assertEquals(3, top.positive().size());
        double shown = top.positive().stream().mapToDouble(Explanation.Term::activation).sum()
                + top.negative().stream().mapToDouble(Explanation.Term::activation).sum();
        assertEquals(top.logit(), shown + top.rest(), 1e-9);
        assertThrows(BadInputException.class, () -> Explanation.explain(dec, classes, new float[10], 1, 3));
    }

    @Test
    void adversarialMasksAreDualToTheEigenvectorsAndTheControlHasTheSameValues() {
        Decomposer dec = new Decomposer(TORCH, TestSupport.simd(2));
        List<Decomposition> classes = dec.decomposeClasses();
        AdversarialMasks.Result r = AdversarialMasks.run(dec, classes, DIGITS.train(), DIGITS.test(), 0.3, 3, 500, 1);
        assertEquals(10, r.targets().size());
        for (int t = 0; t < 10; t++) {
            float[] m = Arrays.copyOfRange(r.masks().data(), t * 784, (t + 1) * 784);
            float[] rnd = Arrays.copyOfRange(r.random().data(), t * 784, (t + 1) * 784);
            double mean = 0, sq = 0;
            for (float v : m) {
                mean += v / 784.0;
            }
            for (float v : m) {
                sq += (v - mean) * (v - mean) / 784.0;
            }
            assertEquals(0.3, Math.sqrt(sq), 1e-4, "scaled to the chosen std");
            float[] sm = m.clone(), sr = rnd.clone();
            Arrays.sort(sm);
            Arrays.sort(sr);
            assertArrayEquals(sm, sr, 0, "the control mask is a permutation of the same values");
            // in the embedding, d_t projects onto its own class's eigenvectors with equal magnitude and onto no other's
            float[] dual = Arrays.copyOfRange(r.duals().data(), t * 32, (t + 1) * 32);
            double own = 0;
            for (int c : new int[] {t, (t + 1) % 10}) {
                int[] top = classes.get(c).topPositive(3);
                for (int j = 0; j < 3; j++) {
                    double[] v = classes.get(c).vector(top[j]);
                    double dot = 0;
                    for (int p = 0; p < 32; p++) {
                        dot += v[p] * dual[p];
                    }
                    if (c == t) {
                        own = own == 0 ? Math.abs(dot) : own;
                        assertEquals(own, Math.abs(dot), 1e-3 * own, "equal push on each of its own eigenvectors");
                        assertTrue(own > 1e-3, "a real push: " + own);
                    } else {
                        assertEquals(0, dot, 1e-4 * own, "no projection onto class " + c + "'s eigenvector " + j);
                    }
                }
            }
            Tensor pixels = dec.toPixels(Tensor.wrap(dual, 1, 32));
            for (int p = 0; p < 784; p++) {
                assertEquals(pixels.data()[p], m[p], 1e-5, "the mask is Eᵀd");
            }
        }
        assertTrue(r.meanMaskIntoTarget() > r.meanRandomIntoTarget(),
                "the weight-derived masks move more images into their target than random ones: "
                        + r.meanMaskIntoTarget() + " vs " + r.meanRandomIntoTarget());
    }

    @Test
    void hosvdMatchesTheSvdOfTheFlattenedClassTensor() {
        for (boolean[] rb : new boolean[][] {{false, false}, {false, true}, {true, true}}) {
            BilinearClassifier m = DecompositionTest.model(12, 7, 5, 1, rb[0], rb[1], 31);
            Decomposer dec = new Decomposer(m, TestSupport.scalar());
            int o = 5, n = dec.block(0).inputSize();
            double[] flat = new double[o * n * n];          // the test may build T [O, N²] from the closed-form Q_a
            for (int a = 0; a < o; a++) {
                System.arraycopy(dec.interactionMatrix(0, dec.headDirection(OutputDirection.ofClass(a, o))), 0, flat, a * n * n, n * n);
            }
            Svd.Result svd = Svd.decompose(flat, o, n * n);
            Hosvd.Result h = Hosvd.run(dec, 2);
            for (int k = 0; k < o; k++) {
                assertEquals(svd.sigma()[k], h.singularValues()[k], 1e-5 * svd.sigma()[0], "σ_" + k + " (residual " + rb[0] + ", bias " + rb[1] + ")");
            }
            for (int k = 0; k < 2; k++) {
                Hosvd.Component c = h.components().get(k);
                double dot = 0;
                for (int a = 0; a < o; a++) {
                    dot += c.classWeights()[a] * svd.u()[a * o + k];
                }
                assertEquals(1, Math.abs(dot), 1e-5, "left singular vector " + k);
                double sign = Math.signum(dot);
                Decomposition d = c.decomposition();
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        assertEquals(sign * svd.vt()[k * n * n + i * n + j], d.entry(i, j), 1e-5, "right singular vector " + k);
                    }
                }
            }
        }
    }

    @Test
    void outputDirectionsAreParsedOrRefusedWithOneLine() throws Exception {
        assertArrayEquals(new double[] {0, 0, 0, 1, 0}, OutputDirection.parse("3", 5).vector());
        assertArrayEquals(new double[] {0, 1, 0, -1, 0}, OutputDirection.parse("diff:1-3", 5).vector());
        assertEquals("class2", OutputDirection.parse("class:2", 5).name());
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("dir");
        java.nio.file.Path good = dir.resolve("mine.txt"), bad = dir.resolve("short.txt");
        java.nio.file.Files.writeString(good, "# a direction\n1, 0.5 -2\n0 0\n");
        java.nio.file.Files.writeString(bad, "1 2 3\n");
        assertArrayEquals(new double[] {1, 0.5, -2, 0, 0}, OutputDirection.parse("file:" + good, 5).vector());
        assertEquals("mine", OutputDirection.parse("file:" + good, 5).name());
        assertEquals("direction file " + bad + " has 3 values but the model has 5 outputs",
                assertThrows(BadInputException.class, () -> OutputDirection.parse("file:" + bad, 5)).getMessage());
        assertEquals("class 7 does not exist: the model has 5 outputs (0–4)",
                assertThrows(BadInputException.class, () -> OutputDirection.parse("7", 5)).getMessage());
        assertTrue(assertThrows(BadInputException.class, () -> OutputDirection.parse("2-2", 5)).getMessage().contains("zero"));
        assertTrue(assertThrows(BadInputException.class, () -> OutputDirection.parse("cat", 5)).getMessage().startsWith("cannot read direction 'cat'"));
    }
}
