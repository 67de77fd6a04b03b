package bilinear.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bilinear.linalg.scalar.ScalarBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every available backend against the scalar reference, on shapes with lane tails (1, 7, 15, 16,
 * 17, 63, 64, 65, 257), block edges and zero sizes. The surefire configuration runs this class
 * again with the vector width forced to 256 and 128 bits.
 */
class BackendContractTest {
    static final int[] TAILS = {0, 1, 7, 15, 16, 17, 63, 64, 65, 257};
    static Parallel one, two;
    static Backend reference;
    static List<Backend> candidates;

    @BeforeAll
    static void setUp() throws Exception {
        one = new Parallel(1);
        two = new Parallel(2);
        reference = new ScalarBackend(one);
        candidates = new ArrayList<>();
        candidates.add(new ScalarBackend(two));
        var simd = Class.forName("bilinear.linalg.simd.SimdBackend").getConstructor(Parallel.class);
        candidates.add((Backend) simd.newInstance(one));
        candidates.add((Backend) simd.newInstance(two));
    }

    @AfterAll
    static void tearDown() {
        one.close();
        two.close();
    }

    static Stream<Arguments> gemmShapes() {
        List<Arguments> out = new ArrayList<>();
        int[][] shapes = {
            {1, 1, 1}, {7, 15, 17}, {16, 16, 16}, {17, 63, 65}, {65, 64, 63}, {0, 5, 3}, {5, 0, 3}, {4, 5, 0},
            {257, 17, 7}, {9, 257, 300}, {200, 33, 257}, {193, 65, 513}, {8, 2100, 3}, {64, 64, 64}, {130, 96, 600},
            // more rows than one packed block of A (SimdGemm.MC = 588 with 14-row tiles), a ragged last block
            {601, 40, 37},
            // three depth blocks (SimdGemm.KC = 512) of equal depth, 367 each
            {40, 70, 1100},
            // the classifier head's shapes (a few outputs, or a depth of a few classes)
            {300, 10, 129}, {10, 130, 300}, {300, 129, 10},
        };
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                out.add(Arguments.of(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4}")
    @MethodSource("gemmShapes")
    void gemmMatchesReference(int m, int n, int k, boolean transA, boolean transB) {
        Tensor a = transA ? TestData.gaussian(1, k, m) : TestData.gaussian(1, m, k);
        Tensor b = transB ? TestData.gaussian(2, n, k) : TestData.gaussian(2, k, n);
        Tensor c0 = TestData.gaussian(3, m, n);
        float[][] alphaBeta = {{1f, 0f}, {0.5f, 1f}, {-2f, 0.25f}};
        for (float[] ab : alphaBeta) {
            Tensor expected = c0.copy();
            reference.gemm(transA, transB, ab[0], a, b, ab[1], expected);
            for (Backend be : candidates) {
                Tensor actual = c0.copy();
                be.gemm(transA, transB, ab[0], a, b, ab[1], actual);
                TestData.assertClose(be.describe() + " gemm(" + m + "," + n + "," + k + ", alpha=" + ab[0] + ", beta=" + ab[1] + ")",
                        expected, actual, Tolerances.of("gemm") * Math.sqrt(Math.max(k, 1)) / 10);
            }
        }
    }

    @Test
    void gemmDoesNotDependOnThreadCount() {
        // Large enough to be split between threads; every element must be summed in the same order.
        // Split by rows with a shared packed B (ragged depth blocks and panel groups; two column
        // blocks), by columns (one row tile; a B too large to share), and at the depth of the
        // classifier head's backward (its own path).
        for (int[] s : new int[][] {{300, 200, 700}, {200, 300, 700}, {300, 2100, 40}, {10, 3000, 700},
                {30, 2064, 2050}, {3000, 300, 10}}) {
            gemmSameForOneAndTwoThreads(s[0], s[1], s[2]);
        }
    }

    private static void gemmSameForOneAndTwoThreads(int m, int n, int k) {
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                Tensor a = ta ? TestData.gaussian(1, k, m) : TestData.gaussian(1, m, k);
                Tensor b = tb ? TestData.gaussian(2, n, k) : TestData.gaussian(2, k, n);
                Tensor c1 = TestData.gaussian(3, m, n), c2 = c1.copy();
                candidates.get(1).gemm(ta, tb, 0.5f, a, b, 1f, c1);
                candidates.get(2).gemm(ta, tb, 0.5f, a, b, 1f, c2);
                assertArrayEquals(c1.data(), c2.data(), "simd gemm " + (ta ? "T" : "N") + (tb ? "T" : "N")
                        + " differs between 1 and 2 threads");
            }
        }
    }

    @Test
    void gemmWithBetaZeroIgnoresGarbageInC() {
        Tensor a = TestData.gaussian(1, 17, 9), b = TestData.gaussian(2, 9, 33);
        for (Backend be : candidates) {
            Tensor c = Tensor.zeros(17, 33);
            be.fill(c, Float.NaN);
            be.gemm(false, false, 1f, a, b, 0f, c);
            for (float v : c.data()) {
                assertTrue(Float.isFinite(v), be.describe() + ": NaN leaked from C with beta = 0");
            }
        }
    }

    /**
     * Triangular products (causal attention) against the dense reference: LOWER_OUTPUT matches it on
     * and below the diagonal and leaves every entry above untouched; the LEFT structures, given an
     * op(A) with the masked triangle zero, match the full product. Shapes cross the 14-row tiles,
     * 32-column panels, the 588-row blocks of A and several depth blocks.
     */
    @Test
    void triangularBatchedGemmMatchesTheDenseProduct() {
        int[][] shapes = {{3, 1, 1, 1}, {3, 17, 17, 16}, {2, 65, 65, 9}, {4, 64, 64, 64}, {2, 70, 33, 70},
            {2, 33, 70, 70}, {1, 257, 257, 33}, {1, 601, 601, 20}, {1, 601, 40, 601}};
        for (int[] s : shapes) {
            int g = s[0], m = s[1], n = s[2], k = s[3];
            for (Triangle shape : new Triangle[] {Triangle.LOWER_OUTPUT, Triangle.LOWER_LEFT, Triangle.UPPER_LEFT}) {
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                    Tensor a = ta ? TestData.gaussian(4, g, k, m) : TestData.gaussian(4, g, m, k);
                    Tensor b = tb ? TestData.gaussian(5, g, n, k) : TestData.gaussian(5, g, k, n);
                    zeroMaskedTriangle(shape, ta, a, g, m, k);
                    Tensor c0 = TestData.gaussian(6, g, m, n), expected = c0.copy();
                    reference.gemmBatched(ta, tb, 1.5f, a, b, 0.5f, expected);
                    String call = shape + " gemmBatched" + List.of(g, m, n, k) + (ta ? "T" : "N") + (tb ? "T" : "N");
                    for (Backend be : candidates) {
                        Tensor actual = c0.copy();
                        be.gemmBatched(shape, ta, tb, 1.5f, a, b, 0.5f, actual);
                        Tensor want = expected.copy();
                        for (int x = 0; x < g * m * n; x++) {
                            int i = x / n % m, j = x % n;
                            if (shape == Triangle.LOWER_OUTPUT && j > i) {
                                assertEquals(c0.data()[x], actual.data()[x], be.describe() + " " + call
                                        + " wrote above the diagonal at " + List.of(x / (m * n), i, j));
                                want.data()[x] = c0.data()[x];
                            }
                        }
                        TestData.assertClose(be.describe() + " " + call, want, actual, Tolerances.of("gemmBatched"));
                    }
                }
            }
        }
    }

    /** Zeroes op(A)[i, p] where a LEFT structure says it is zero (p &gt; i, or p &lt; i). */
    private static void zeroMaskedTriangle(Triangle shape, boolean transA, Tensor a, int g, int m, int k) {
        for (int x = 0; x < g; x++) {
            for (int i = 0; i < m; i++) {
                for (int p = 0; p < k; p++) {
                    boolean masked = shape == Triangle.LOWER_LEFT ? p > i : shape == Triangle.UPPER_LEFT && p < i;
                    if (masked) {
                        a.data()[x * m * k + (transA ? p * m + i : i * k + p)] = 0f;
                    }
                }
            }
        }
    }

    @Test
    void batchedGemmMatchesReference() {
        int[][] shapes = {{3, 17, 15, 16}, {1, 7, 65, 9}, {5, 64, 64, 16}, {0, 4, 4, 4}};
        for (int[] s : shapes) {
            int g = s[0], m = s[1], n = s[2], k = s[3];
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                Tensor a = ta ? TestData.gaussian(4, g, k, m) : TestData.gaussian(4, g, m, k);
                Tensor b = tb ? TestData.gaussian(5, g, n, k) : TestData.gaussian(5, g, k, n);
                Tensor expected = TestData.gaussian(6, g, m, n);
                Tensor c0 = expected.copy();
                reference.gemmBatched(ta, tb, 1.5f, a, b, 0.5f, expected);
                for (Backend be : candidates) {
                    Tensor actual = c0.copy();
                    be.gemmBatched(ta, tb, 1.5f, a, b, 0.5f, actual);
                    TestData.assertClose(be.describe() + " gemmBatched" + List.of(g, m, n, k), expected, actual, Tolerances.of("gemmBatched"));
                }
            }
        }
    }

    /** Runs {@code op} on the reference and every candidate with fresh copies of the inputs. */
    interface Op {
        void run(Backend be, Tensor[] io);
    }

    private static void check(String name, Op op, int outputs, Tensor... inputs) {
        Tensor[] expected = copies(inputs);
        op.run(reference, expected);
        for (Backend be : candidates) {
            Tensor[] actual = copies(inputs);
            op.run(be, actual);
            for (int o = 0; o < outputs; o++) {
                int idx = inputs.length - 1 - o;
                TestData.assertClose(be.describe() + " " + name + " " + inputs[0].shape() + " output " + o,
                        expected[idx], actual[idx], Tolerances.of(name));
            }
        }
    }

    private static Tensor[] copies(Tensor[] ts) {
        Tensor[] out = new Tensor[ts.length];
        for (int i = 0; i < ts.length; i++) {
            out[i] = ts[i].copy();
        }
        return out;
    }

    @Test
    void elementwiseOpsMatchReference() {
        for (int n : TAILS) {
            for (int rows : new int[] {1, 3}) {
                Tensor x = TestData.gaussian(7, rows, n), y = TestData.gaussian(8, rows, n);
                check("axpby", (be, t) -> be.axpby(0.7f, t[0], 0f, t[1]), 1, x, y);
                check("axpby", (be, t) -> be.axpby(0.7f, t[0], -1.3f, t[1]), 1, x, y);
                check("add", (be, t) -> be.add(t[0], t[1], t[2]), 1, x, y, Tensor.zeros(rows, n));
                check("addRowVector", (be, t) -> be.addRowVector(t[1], t[0]), 1, TestData.gaussian(9, n), x);
                check("fill", (be, t) -> be.fill(t[0], 2.5f), 1, x);
                check("addScalar", (be, t) -> be.addScalar(t[0], -0.75f), 1, x);
            }
        }
    }

    @Test
    void gatedUnitsMatchReference() {
        for (Gate gate : Gate.values()) {
            for (int h : TAILS) {
                for (int rows : new int[] {1, 5}) {
                    Tensor z = TestData.gaussian(10, rows, 2 * h);
                    check("glu", (be, t) -> be.glu(gate, t[0], t[1]), 1, z, Tensor.zeros(rows, h));
                    Tensor g = TestData.gaussian(11, rows, h);
                    check("gluBackward", (be, t) -> be.gluBackward(gate, t[0], t[1], 0f, t[2]), 1, z, g, TestData.gaussian(12, rows, 2 * h));
                    check("gluBackward", (be, t) -> be.gluBackward(gate, t[0], t[1], 1f, t[2]), 1, z, g, TestData.gaussian(12, rows, 2 * h));
                }
            }
        }
    }

    @Test
    void greyLevelsUnpackExactly() {
        int rowsInMatrix = 40;
        for (int d : TAILS) {
            byte[] levels = new byte[rowsInMatrix * d];
            for (int i = 0; i < levels.length; i++) {
                levels[i] = (byte) (i * 37 + 11);             // every level 0..255, in a scrambled order
            }
            int[] order = new int[rowsInMatrix];
            for (int i = 0; i < order.length; i++) {
                order[i] = (i * 17 + 5) % rowsInMatrix;
            }
            for (int count : new int[] {0, 1, 3, 33}) {
                for (int from : new int[] {0, 7, rowsInMatrix - count}) {
                    Tensor want = Tensor.zeros(count, d);
                    reference.unpackGreyLevels(levels, order, from, want);
                    for (int i = 0; i < count * d; i++) {
                        int level = levels[order[from + i / d] * d + i % d] & 0xff;
                        assertEquals(level / 255f, want.data()[i], 0f, "reference, level " + level);
                    }
                    for (Backend be : candidates) {
                        Tensor got = Tensor.zeros(count, d);
                        be.unpackGreyLevels(levels, order, from, got);
                        assertArrayEquals(want.data(), got.data(), 0f, be.describe() + " d " + d + " from " + from + " count " + count);
                    }
                }
            }
        }
        byte[] levels = new byte[10 * 8];
        for (Backend be : candidates) {
            assertThrows(IndexOutOfBoundsException.class, () -> be.unpackGreyLevels(levels, new int[] {0, 10}, 0, Tensor.zeros(2, 8)));
            assertThrows(IndexOutOfBoundsException.class, () -> be.unpackGreyLevels(levels, new int[] {0, -1}, 0, Tensor.zeros(2, 8)));
            assertThrows(IndexOutOfBoundsException.class, () -> be.unpackGreyLevels(levels, new int[] {0, 1}, 1, Tensor.zeros(2, 8)));
        }
    }

    @Test
    void noiseMatchesReferenceAndIsStandardNormal() {
        for (int n : new int[] {0, 1, 17, 65, 257, 100_003}) {
            Tensor x = TestData.gaussian(13, n);
            check("addGaussianNoise", (be, t) -> be.addGaussianNoise(t[0], 0.5f, 42L, t[1]), 1, x, Tensor.zeros(n));
        }
        Tensor z = Tensor.zeros(200_000);
        for (Backend be : candidates) {
            be.addGaussianNoise(Tensor.zeros(200_000), 1f, 7L, z);
            double mean = be.sum(z) / z.size();
            double var = be.sumSquares(z) / z.size() - mean * mean;
            assertEquals(0, mean, 0.01, be.describe() + " noise mean");
            assertEquals(1, var, 0.02, be.describe() + " noise variance");
        }
    }

    @Test
    void reductionsMatchReference() {
        for (int n : TAILS) {
            for (int rows : new int[] {1, 7, 600}) {
                Tensor x = TestData.gaussian(14, rows, n);
                check("sumRows", (be, t) -> be.sumRows(t[0], 0f, t[1]), 1, x, Tensor.zeros(n));
                check("sumRows", (be, t) -> be.sumRows(t[0], 1f, t[1]), 1, x, TestData.gaussian(15, n));
                for (Backend be : candidates) {
                    double scale = Math.max(1, reference.sumSquares(x));
                    assertEquals(reference.sumSquares(x), be.sumSquares(x), Tolerances.of("sumSquares") * scale, be.describe() + " sumSquares");
                    assertEquals(reference.sum(x), be.sum(x), Tolerances.of("sum") * scale, be.describe() + " sum");
                    Tensor y = TestData.gaussian(25, rows, n);
                    assertEquals(reference.dot(x, y), be.dot(x, y), Tolerances.of("dot") * scale, be.describe() + " dot");
                }
            }
        }
    }

    @Test
    void reductionsDoNotDependOnThreadCount() throws Exception {
        var simd = Class.forName("bilinear.linalg.simd.SimdBackend").getConstructor(Parallel.class);
        Backend a = (Backend) simd.newInstance(one), b = (Backend) simd.newInstance(two);
        Tensor x = TestData.gaussian(16, 1_000_003);
        assertEquals(a.sumSquares(x), b.sumSquares(x), 0.0);
        assertEquals(a.sum(x), b.sum(x), 0.0);
    }

    @Test
    void normalisationMatchesReference() {
        for (int n : new int[] {1, 7, 16, 17, 65, 257}) {
            Tensor x = TestData.gaussian(17, 5, n);
            check("rmsNorm", (be, t) -> be.rmsNorm(t[0], 1e-8f, t[1], t[2]), 2, x, Tensor.zeros(5, n), Tensor.zeros(5));
            Tensor y = Tensor.zeros(5, n), r = Tensor.zeros(5);
            reference.rmsNorm(x, 1e-8f, y, r);
            Tensor dy = TestData.gaussian(18, 5, n);
            check("rmsNormBackward", (be, t) -> be.rmsNormBackward(t[0], t[1], t[2], 0f, t[3]), 1, y, r, dy, Tensor.zeros(5, n));
            check("rmsNormBackward", (be, t) -> be.rmsNormBackward(t[0], t[1], t[2], 1f, t[3]), 1, y, r, dy, TestData.gaussian(19, 5, n));
        }
    }

    @Test
    void softmaxAndCrossEntropyMatchReference() {
        for (int c : new int[] {1, 2, 10, 17, 64, 257}) {
            int rows = 33;
            Tensor x = TestData.gaussian(20, rows, c);
            for (int i = 0; i < x.size(); i++) {
                x.data()[i] *= 4;
            }
            check("softmaxRows", (be, t) -> be.softmaxRows(t[0], t[1]), 1, x, Tensor.zeros(rows, c));
            int[] labels = new int[rows];
            for (int i = 0; i < rows; i++) {
                labels[i] = (i * 7) % c;
            }
            Tensor expectedGrad = Tensor.zeros(rows, c);
            double expectedLoss = reference.softmaxCrossEntropy(x, labels, 1f / rows, expectedGrad);
            for (Backend be : candidates) {
                Tensor grad = Tensor.zeros(rows, c);
                double loss = be.softmaxCrossEntropy(x, labels, 1f / rows, grad);
                assertEquals(expectedLoss, loss, Tolerances.of("softmaxCrossEntropy") * Math.max(1, expectedLoss), be.describe() + " loss");
                TestData.assertClose(be.describe() + " softmaxCrossEntropy grad", expectedGrad, grad, Tolerances.of("softmaxCrossEntropy"));
                assertEquals(expectedLoss, be.softmaxCrossEntropy(x, labels, 1f, null), 1e-4 * Math.max(1, expectedLoss));
                Tensor overwritten = x.copy();
                assertEquals(loss, be.softmaxCrossEntropy(overwritten, labels, 1f / rows, overwritten), 0,
                        be.describe() + " loss with the gradient written over the logits");
                assertArrayEquals(grad.data(), overwritten.data(), 0f, be.describe() + " gradient written over the logits");
                int[] arg = new int[rows], argRef = new int[rows];
                be.argmaxRows(x, arg);
                reference.argmaxRows(x, argRef);
                assertArrayEquals(argRef, arg, be.describe() + " argmax");
            }
        }
    }

    @Test
    void adamwMatchesReference() {
        for (int n : TAILS) {
            Tensor p = TestData.gaussian(21, n), g = TestData.gaussian(22, n);
            Tensor m = TestData.gaussian(23, n), v = TestData.uniform(24, 0f, 2f, n);
            Backend.AdamWStep step = new Backend.AdamWStep(1e-3f, 0.9f, 0.999f, 1e-8f, 0.5f,
                    (float) (1 - Math.pow(0.9, 3)), (float) (1 - Math.pow(0.999, 3)));
            check("adamw", (be, t) -> be.adamw(t[0], t[1], 0.8f, t[2], t[3], step), 3, p, g, m, v);
            Tensor[] ref = {p.copy(), g, m.copy(), v.copy()};
            reference.adamw(ref[0], ref[1], 0.8f, ref[2], ref[3], step);
            for (Backend be : candidates) {
                Tensor pp = p.copy();
                be.adamw(pp, g, 0.8f, m.copy(), v.copy(), step);
                TestData.assertClose(be.describe() + " adamw param", ref[0], pp, Tolerances.of("adamw"));
            }
        }
    }
}
