package bilinear.linalg;

import static org.junit.jupiter.api.Assertions.assertThrows;

import bilinear.linalg.scalar.ScalarBackend;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sequence ops (embeddings, rotary attention layout, causal softmax) of every backend against the reference. */
class SequenceContractTest {
    static Parallel one, two;
    static Backend reference;
    static List<Backend> candidates;

    @BeforeAll
    static void setUp() throws Exception {
        one = new Parallel(1);
        two = new Parallel(2);
        reference = new ScalarBackend(one);
        candidates = new ArrayList<>();
        var simd = Class.forName("bilinear.linalg.simd.SimdBackend").getConstructor(Parallel.class);
        candidates.add((Backend) simd.newInstance(one));
        candidates.add((Backend) simd.newInstance(two));
    }

    @AfterAll
    static void tearDown() {
        one.close();
        two.close();
    }

    interface Op {
        void run(Backend be, Tensor out);
    }

    static void check(String name, Tensor initial, Op op) {
        Tensor expected = initial.copy();
        op.run(reference, expected);
        for (Backend be : candidates) {
            Tensor actual = initial.copy();
            op.run(be, actual);
            TestData.assertClose(be.describe() + " " + name + " " + initial.shape(), expected, actual, Tolerances.of(name));
        }
    }

    @Test
    void embeddingsGatherAndScatterAdd() {
        int vocab = 37;
        for (int d : new int[] {1, 7, 16, 17, 65}) {
            Tensor table = TestData.gaussian(1, vocab, d);
            int n = 53;
            int[] ids = new int[n];
            for (int i = 0; i < n; i++) {
                ids[i] = (i * 11 + 3) % vocab;  // with repeats
            }
            check("gatherRows", Tensor.zeros(n, d), (be, out) -> be.gatherRows(table, ids, out));
            Tensor g = TestData.gaussian(2, n, d);
            check("scatterAddRows", TestData.gaussian(3, vocab, d), (be, out) -> be.scatterAddRows(g, ids, out));
        }
        int[] bad = {0, 99};
        assertThrows(IllegalArgumentException.class, () -> reference.gatherRows(TestData.gaussian(1, vocab, 4), bad, Tensor.zeros(2, 4)));
        for (Backend be : candidates) {
            assertThrows(IllegalArgumentException.class, () -> be.gatherRows(TestData.gaussian(1, vocab, 4), bad, Tensor.zeros(2, 4)));
        }
    }

    static Tensor[] rope(int t, int dh) {
        int half = dh / 2;
        Tensor cos = Tensor.zeros(t, half), sin = Tensor.zeros(t, half);
        for (int p = 0; p < t; p++) {
            for (int i = 0; i < half; i++) {
                double theta = p * Math.pow(10000, -2.0 * i / dh);
                cos.data()[p * half + i] = (float) Math.cos(theta);
                sin.data()[p * half + i] = (float) Math.sin(theta);
            }
        }
        return new Tensor[] {cos, sin};
    }

    @Test
    void rotaryLayoutAndItsTranspose() {
        int[][] shapes = {{1, 1, 1, 2}, {2, 7, 3, 6}, {3, 17, 2, 34}, {2, 65, 4, 64}};
        for (int[] s : shapes) {
            int b = s[0], t = s[1], h = s[2], dh = s[3];
            Tensor qkv = TestData.gaussian(4, b * t, 3 * h * dh);
            Tensor[] cs = rope(t, dh);
            for (int part = 0; part < 3; part++) {
                final int which = part;
                check("ropeSplitHeads", Tensor.zeros(b * h, t, dh), (be, out) -> {
                    Tensor[] qkvOut = {Tensor.zeros(b * h, t, dh), Tensor.zeros(b * h, t, dh), Tensor.zeros(b * h, t, dh)};
                    be.ropeSplitHeads(qkv, b, h, cs[0], cs[1], qkvOut[0], qkvOut[1], qkvOut[2]);
                    System.arraycopy(qkvOut[which].data(), 0, out.data(), 0, out.size());
                });
            }
            Tensor dq = TestData.gaussian(5, b * h, t, dh), dk = TestData.gaussian(6, b * h, t, dh), dv = TestData.gaussian(7, b * h, t, dh);
            for (float beta : new float[] {0f, 1f}) {
                check("ropeSplitHeadsBackward", TestData.gaussian(8, b * t, 3 * h * dh),
                        (be, out) -> be.ropeSplitHeadsBackward(dq, dk, dv, b, h, cs[0], cs[1], beta, out));
            }
            Tensor z = TestData.gaussian(9, b * h, t, dh);
            check("mergeHeads", Tensor.zeros(b * t, h * dh), (be, out) -> be.mergeHeads(z, b, h, out));
            Tensor flat = TestData.gaussian(10, b * t, h * dh);
            check("splitHeads", Tensor.zeros(b * h, t, dh), (be, out) -> be.splitHeads(flat, b, h, out));
        }
    }

    @Test
    void causalSoftmaxAndItsBackward() {
        for (int t : new int[] {1, 2, 7, 16, 17, 65, 257}) {
            int g = 3;
            Tensor scores = TestData.gaussian(11, g, t, t);
            check("causalSoftmax", Tensor.zeros(g, t, t), (be, out) -> be.causalSoftmax(scores, 0.37f, out));
            Tensor p = Tensor.zeros(g, t, t);
            reference.causalSoftmax(scores, 0.37f, p);
            Tensor dp = TestData.gaussian(12, g, t, t);
            check("causalSoftmaxBackward", Tensor.zeros(g, t, t), (be, out) -> be.causalSoftmaxBackward(p, dp, 0.37f, out));
        }
    }

    @Test
    void topKActivationKeepsExactlyKPositiveEntries() {
        for (int n : new int[] {1, 7, 16, 65, 1024}) {
            Tensor x = TestData.gaussian(13, 9, n);
            x.data()[0] = x.data()[1];  // a tie
            for (int k : new int[] {1, Math.max(1, n / 3), n}) {
                check("topKRows", Tensor.zeros(9, n), (be, out) -> be.topKRows(x, k, out));
                Tensor out = Tensor.zeros(9, n);
                reference.topKRows(x, k, out);
                for (int r = 0; r < 9; r++) {
                    int kept = 0, positive = 0;
                    for (int j = 0; j < n; j++) {
                        kept += out.data()[r * n + j] != 0 ? 1 : 0;
                        positive += x.data()[r * n + j] > 0 ? 1 : 0;
                    }
                    org.junit.jupiter.api.Assertions.assertEquals(Math.min(k, positive), kept, "row " + r + " keeps min(k, #positive)");
                }
                Tensor g = TestData.gaussian(14, 9, n);
                check("topKBackward", TestData.gaussian(15, 9, n), (be, dx) -> be.topKBackward(out, g, 1f, dx));
            }
        }
    }
}
