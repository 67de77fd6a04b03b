package bilinear.engine.circuits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bilinear.engine.BadInputException;
import bilinear.engine.TestSupport;
import bilinear.engine.io.Safetensors;
import bilinear.engine.lm.LmConfig;
import bilinear.engine.lm.Transformer;
import bilinear.engine.sae.Activations;
import bilinear.engine.sae.Site;
import bilinear.engine.sae.TopKSae;
import bilinear.linalg.Backend;
import bilinear.linalg.CounterRng;
import bilinear.linalg.Gate;
import bilinear.linalg.eigen.EigenPairs;
import bilinear.linalg.eigen.LeadingPairs;
import java.util.List;
import org.junit.jupiter.api.Test;

class MlpInteractionsTest {
    static final LmConfig TINY = new LmConfig(50, 2, 16, 32, 2, 12, Gate.NONE, true);

    static Transformer fixture() {
        return Transformer.fromTensors(TINY, Safetensors.read(TestSupport.fixture("lm_tiny_bilinear.safetensors")).tensors());
    }

    static int[] stream(int n) {
        int[] s = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = (int) (Integer.toUnsignedLong(CounterRng.hash(i, 77)) % 50);
        }
        return s;
    }

    @Test
    void theQuadraticFormIsTheMlpOutputAlongAnyDirection() {
        Backend be = TestSupport.simd(2);
        Transformer model = fixture();
        for (int layer = 0; layer < 2; layer++) {
            var in = Activations.collect(model, stream(241), new Site(layer, Site.Point.MLP_IN), 240, 4, be);
            var out = Activations.collect(model, stream(241), new Site(layer, Site.Point.MLP_OUT), 240, 4, be);
            MlpInteractions mlp = new MlpInteractions(model, layer, be);
            for (long seed = 0; seed < 5; seed++) {
                double[] u = new double[16];
                for (int i = 0; i < 16; i++) {
                    u[i] = CounterRng.gaussian(seed, i);
                }
                assertTrue(mlp.exactness(u, in.values(), out.values()) < 1e-5, "layer " + layer + " direction " + seed);
            }
            assertTrue(mlp.exactness(mlp.tokenDirection(7), in.values(), out.values()) < 1e-5);
            // Σ λ (v·m)² over all eigenvectors is the same number
            double[] u = mlp.tokenDirection(3);
            EigenPairs e = mlp.eigen(u);
            double[][] cumulative = EigenActivations.cumulative(e, EigenActivations.projections(e, 16, in.values(), be));
            double[] form = mlp.quadraticForm(mlp.matrix(u), in.values());
            for (int t = 0; t < form.length; t++) {
                assertEquals(form[t], cumulative[15][t], 1e-4 * (1 + Math.abs(form[t])), "token " + t);
            }
        }
    }

    @Test
    void leadingPairsAreTheFirstPairsOfTheFullDecomposition() {
        MlpInteractions mlp = new MlpInteractions(fixture(), 1, TestSupport.simd(1));
        double[] u = mlp.tokenDirection(5);
        EigenPairs all = mlp.eigen(u);
        LeadingPairs top = mlp.leading(u, 4);
        assertEquals(4, top.count());
        for (int i = 0; i < 4; i++) {
            assertEquals(all.value(i), top.value(i), 1e-9 * Math.abs(all.value(0)), "λ" + i);
            double[] a = all.vector(i), b = top.vector(i);
            double dot = 0;
            for (int j = 0; j < a.length; j++) {
                dot += a[j] * b[j];
            }
            assertEquals(1, Math.abs(dot), 1e-8, "eigenvector " + i);
        }
    }

    @Test
    void saeFeaturePreActivationsDecomposeExactly() {
        Backend be = TestSupport.simd(2);
        Transformer model = fixture();
        var in = Activations.collect(model, stream(481), new Site(1, Site.Point.MLP_IN), 480, 4, be);
        var out = Activations.collect(model, stream(481), new Site(1, Site.Point.MLP_OUT), 480, 4, be);
        TopKSae saeOut = TopKSae.initialise(new TopKSae.Config(16, 32, 4, new Site(1, Site.Point.MLP_OUT)),
                TopKSae.rowMean(be, out.values()), 1);
        TopKSae saeIn = TopKSae.initialise(new TopKSae.Config(16, 24, 4, new Site(1, Site.Point.MLP_IN)),
                TopKSae.rowMean(be, in.values()), 2);
        FeatureCircuits fc = new FeatureCircuits(new MlpInteractions(model, 1, be), saeOut, saeIn,
                new FeatureCircuits.Samples(in.values(), out.values(), in.tokens(), in.positions(), stream(481)), be);
        int[] all = new int[32];
        for (int j = 0; j < 32; j++) {
            all[j] = j;
        }
        assertTrue(fc.exactness(all) < 1e-4, "pre-activation = mᵀQm + c: " + fc.exactness(all));
        List<FeatureCircuits.Ranked> ranked = fc.rank();
        assertEquals(32, ranked.size());
        for (int i = 1; i < ranked.size(); i++) {
            assertTrue(ranked.get(i - 1).top2() >= ranked.get(i).top2(), "sorted by top-2 |λ|");
        }
        // with every eigenvector the approximation is the pre-activation minus a constant: correlation 1
        FeatureCircuits.Correlation c = fc.correlation(ranked.get(0).feature(), 16, 2);
        if (c != null) {
            assertEquals(1.0, c.byK()[15], 1e-4);
        }
        List<List<FeatureCircuits.Interaction>> ia = fc.inputInteractions(0, 5);
        assertEquals(5, ia.get(0).size());
        assertTrue(Math.abs(ia.get(1).get(0).value()) >= Math.abs(ia.get(1).get(4).value()));
    }

    @Test
    void refusesGatedMlpsAndBadDirections() {
        Backend be = TestSupport.simd(1);
        Transformer swiglu = Transformer.initialise(new LmConfig(50, 1, 16, 32, 2, 12, Gate.SILU, true), 1);
        assertThrows(BadInputException.class, () -> new MlpInteractions(swiglu, 0, be));
        MlpInteractions mlp = new MlpInteractions(fixture(), 0, be);
        assertThrows(BadInputException.class, () -> mlp.matrix(new double[5]));
        assertThrows(BadInputException.class, () -> new MlpInteractions(fixture(), 2, be));
        assertThrows(BadInputException.class, () -> mlp.tokenDirection(50));
    }
}
