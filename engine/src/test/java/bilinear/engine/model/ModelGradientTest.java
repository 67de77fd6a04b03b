package bilinear.engine.model;

import bilinear.engine.TestSupport;
import bilinear.engine.autograd.GradCheck;
import bilinear.engine.autograd.Parameter;
import bilinear.engine.ops.SoftmaxCrossEntropy;
import bilinear.linalg.Backend;
import bilinear.linalg.Gate;
import bilinear.linalg.Tensor;
import org.junit.jupiter.api.Test;

/** Whole-model finite-difference checks: every parameter of small classifiers of each shape. */
class ModelGradientTest {
    @Test
    void everyParameterOfEveryArchitecture() {
        // inputs of std 3: through three multiplicative blocks smaller ones give gradients so small
        // that float32 rounding of the loss dominates the finite differences
        Tensor x = TestSupport.gaussian(20, 3f, 6, 11);
        int[] labels = {0, 1, 2, 3, 0, 2};
        ImageModelConfig[] configs = {
            new ImageModelConfig(11, 5, 4, 1, false, Gate.NONE, false),
            new ImageModelConfig(11, 5, 4, 2, true, Gate.NONE, true),
            new ImageModelConfig(11, 6, 4, 3, false, Gate.NONE, true),
            new ImageModelConfig(11, 5, 4, 2, true, Gate.SILU, false),
        };
        for (Backend be : TestSupport.all()) {
            for (ImageModelConfig c : configs) {
                BilinearClassifier model = BilinearClassifier.initialise(c, 7);
                Parameter[] params = model.parameters().toArray(new Parameter[0]);
                GradCheck.check(c.describe(), be, t -> SoftmaxCrossEntropy.apply(t,
                        model.forward(t, t.constant(x), Noise.NONE), labels), 1e-3, 40, 5e-3, params);
            }
        }
    }

    @Test
    void withTrainingNoiseTheGradientIsStillExact() {
        Tensor x = TestSupport.gaussian(21, 1f, 5, 9);
        int[] labels = {1, 0, 2, 2, 1};
        BilinearClassifier model = BilinearClassifier.initialise(new ImageModelConfig(9, 6, 3, 2, true, Gate.NONE, false), 3);
        Noise noise = new Noise(0.3f, 0.33f, 42L);
        for (Backend be : TestSupport.all()) {
            GradCheck.check("noisy model", be, t -> SoftmaxCrossEntropy.apply(t, model.forward(t, t.constant(x), noise), labels),
                    1e-3, 40, 5e-3, model.parameters().toArray(new Parameter[0]));
        }
    }
}
