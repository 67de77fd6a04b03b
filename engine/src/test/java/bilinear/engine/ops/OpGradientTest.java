package bilinear.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import bilinear.engine.TestSupport;
import bilinear.engine.autograd.GradCheck;
import bilinear.engine.autograd.Parameter;
import bilinear.engine.autograd.Tape;
import bilinear.linalg.Backend;
import bilinear.linalg.Gate;
import bilinear.linalg.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference checks of every op, on the scalar reference and on the SIMD backend. Bounds:
 * ops that are linear or quadratic in each input are exact under central differences, so only
 * float32 rounding remains (bound 2e-3 with ε = 1e-2); smooth nonlinear ones use ε = 1e-3.
 */
class OpGradientTest {
    static final double EXACT = 2e-3;
    static final double SMOOTH = 5e-3;

    @Test
    void linearWithAndWithoutBias() {
        for (Backend be : TestSupport.all()) {
            Parameter x = new Parameter("x", TestSupport.gaussian(1, 1f, 7, 17));
            Parameter w = new Parameter("w", TestSupport.gaussian(2, 0.5f, 9, 17));
            Parameter b = new Parameter("b", TestSupport.gaussian(3, 0.5f, 9));
            GradCheck.check("Linear", be, t -> Linear.apply(t, x, w, null), 1e-2, 60, EXACT, x, w);
            GradCheck.check("Linear+bias", be, t -> Linear.apply(t, x, w, b), 1e-2, 60, EXACT, x, w, b);
        }
    }

    @Test
    void gatedProductForEveryGate() {
        for (Backend be : TestSupport.all()) {
            Tensor zv = TestSupport.gaussian(4, 1f, 5, 2 * 19);
            for (int i = 0; i < zv.size(); i++) {
                // keep ReLU's kink out of reach of the finite differences
                zv.data()[i] += Math.signum(zv.data()[i]) * 0.1f;
            }
            Parameter z = new Parameter("z", zv);
            GradCheck.check("GatedProduct bilinear", be, t -> GatedProduct.apply(t, z, Gate.NONE), 1e-2, 80, EXACT, z);
            GradCheck.check("GatedProduct relu", be, t -> GatedProduct.apply(t, z, Gate.RELU), 1e-2, 80, EXACT, z);
            GradCheck.check("GatedProduct silu", be, t -> GatedProduct.apply(t, z, Gate.SILU), 1e-3, 80, SMOOTH, z);
            GradCheck.check("GatedProduct gelu", be, t -> GatedProduct.apply(t, z, Gate.GELU), 1e-3, 80, SMOOTH, z);
        }
    }

    @Test
    void addBothInputsAndSharedInput() {
        for (Backend be : TestSupport.all()) {
            Parameter a = new Parameter("a", TestSupport.gaussian(5, 1f, 4, 33));
            Parameter b = new Parameter("b", TestSupport.gaussian(6, 1f, 4, 33));
            GradCheck.check("Add", be, t -> Add.apply(t, a, b), 1e-2, 60, EXACT, a, b);
            // the same variable twice: the second write must accumulate, not overwrite
            GradCheck.check("Add(a, a)", be, t -> Add.apply(t, a, a), 1e-2, 60, EXACT, a);
        }
    }

    @Test
    void rmsNorm() {
        for (Backend be : TestSupport.all()) {
            Parameter x = new Parameter("x", TestSupport.gaussian(7, 1f, 6, 21));
            GradCheck.check("RmsNorm", be, t -> RmsNorm.apply(t, x, RmsNorm.DEFAULT_EPS), 1e-3, 80, SMOOTH, x);
        }
    }

    @Test
    void softmaxCrossEntropy() {
        int[] labels = {3, 0, 9, 9, 1, 4, 7};
        for (Backend be : TestSupport.all()) {
            Parameter z = new Parameter("z", TestSupport.gaussian(8, 2f, 7, 10));
            GradCheck.check("SoftmaxCrossEntropy", be, t -> SoftmaxCrossEntropy.apply(t, z, labels), 1e-3, 70, SMOOTH, z);
        }
    }

    /**
     * Logits that are an intermediate value: the first loss on them hands its gradient buffer
     * over (Tape.adoptGrad), a second one adds to it; both must give the analytic gradient.
     */
    @Test
    void crossEntropyOnIntermediateLogitsOnceAndTwice() {
        int[] labels = {3, 0, 9, 9, 1};
        for (Backend be : TestSupport.all()) {
            Parameter z = new Parameter("z", TestSupport.gaussian(5, 1f, 5, 10));
            double[] expected = new double[50];          // d/dz CE(2z) = 2·(softmax(2z) − onehot)/B
            for (int r = 0; r < 5; r++) {
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int c = 0; c < 10; c++) {
                    max = Math.max(max, 2.0 * z.value().data()[r * 10 + c]);
                }
                for (int c = 0; c < 10; c++) {
                    sum += Math.exp(2.0 * z.value().data()[r * 10 + c] - max);
                }
                for (int c = 0; c < 10; c++) {
                    double p = Math.exp(2.0 * z.value().data()[r * 10 + c] - max) / sum;
                    expected[r * 10 + c] = 2 * (p - (c == labels[r] ? 1 : 0)) / 5;
                }
            }
            for (int losses = 1; losses <= 2; losses++) {
                Tape tape = new Tape(be).reset(true);
                z.clearGrad();
                var logits = Add.apply(tape, z, z);
                var loss = SoftmaxCrossEntropy.apply(tape, logits, labels);
                if (losses == 2) {
                    loss = Add.apply(tape, loss, SoftmaxCrossEntropy.apply(tape, logits, labels));
                }
                tape.backward(loss);
                for (int i = 0; i < 50; i++) {
                    assertEquals(losses * expected[i], z.grad().data()[i], 1e-5, be.describe() + ", " + losses + " losses, entry " + i);
                }
            }
        }
    }

    @Test
    void inputAndLatentNoise() {
        for (Backend be : TestSupport.all()) {
            Parameter x = new Parameter("x", TestSupport.gaussian(9, 1f, 5, 23));
            GradCheck.check("GaussianNoise.input", be, t -> GaussianNoise.input(t, x, 0.5f, 1234L), 1e-2, 60, EXACT, x);
            // σ(x) is not quadratic: smooth bound
            GradCheck.check("GaussianNoise.latent", be, t -> GaussianNoise.latent(t, x, 0.33f, 1234L), 1e-3, 60, SMOOTH, x);
        }
    }

    @Test
    void chainOfOpsAccumulatesThroughAResidual() {
        for (Backend be : TestSupport.all()) {
            Parameter x = new Parameter("x", TestSupport.gaussian(10, 1f, 3, 8));
            Parameter w = new Parameter("w", TestSupport.gaussian(11, 0.5f, 16, 8));
            GradCheck.check("x + glu(x·Wᵀ)", be, t -> Add.apply(t, x, GatedProduct.apply(t, Linear.apply(t, x, w, null), Gate.NONE)),
                    1e-2, 40, EXACT, x, w);
        }
    }
}
