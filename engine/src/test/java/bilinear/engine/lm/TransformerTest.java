package bilinear.engine.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bilinear.engine.TestSupport;
import bilinear.engine.autograd.GradCheck;
import bilinear.engine.autograd.Parameter;
import bilinear.engine.autograd.Tape;
import bilinear.engine.autograd.Variable;
import bilinear.engine.io.Safetensors;
import bilinear.engine.ops.SoftmaxCrossEntropy;
import bilinear.linalg.Backend;
import bilinear.linalg.Gate;
import bilinear.linalg.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransformerTest {
    static final LmConfig TINY = new LmConfig(50, 2, 16, 32, 2, 12, Gate.NONE, true);

    static int[] ids(Tensor t) {
        int[] out = new int[t.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.round(t.data()[i]);
        }
        return out;
    }

    /** Logits and layer 0's MLP input against an independent PyTorch implementation (float64 there). */
    @Test
    void forwardMatchesPyTorch() {
        for (String variant : new String[] {"bilinear", "swiglu"}) {
            LmConfig c = new LmConfig(50, 2, 16, 32, 2, 12, variant.equals("swiglu") ? Gate.SILU : Gate.NONE, true);
            Transformer model = Transformer.fromTensors(c, Safetensors.read(TestSupport.fixture("lm_tiny_" + variant + ".safetensors")).tensors());
            Map<String, Tensor> io = Safetensors.read(TestSupport.fixture("lm_tiny_" + variant + "_io.safetensors")).tensors();
            int[] tokens = ids(io.get("ids"));
            for (Backend be : TestSupport.all()) {
                Tape tape = new Tape(be);
                tape.reset(false);
                Tensor[] captured = new Tensor[1];
                Hooks capture = new Hooks() {
                    @Override
                    public Variable mlpInput(Tape t, int layer, Variable x) {
                        if (layer == 0) {
                            captured[0] = x.value().copy();
                        }
                        return x;
                    }
                };
                Tensor logits = model.forward(tape, tokens, 2, 10, Transformer.Noise.NONE, capture).value();
                assertClose(variant + " logits on " + be.describe(), io.get("logits"), logits);
                assertClose(variant + " MLP input on " + be.describe(), io.get("mlp_in_0"), captured[0]);
            }
        }
    }

    private static void assertClose(String what, Tensor expected, Tensor actual) {
        assertEquals(expected.size(), actual.size(), what);
        double max = 0, err = 0;
        for (int i = 0; i < expected.size(); i++) {
            max = Math.max(max, Math.abs(expected.data()[i]));
            err = Math.max(err, Math.abs(expected.data()[i] - actual.data()[i]));
        }
        assertTrue(err <= 1e-5 * max, what + ": max error " + err + " vs max |value| " + max);
    }

    @Test
    void wholeModelGradient() {
        // smaller still: finite differences over every parameter of a 2-layer model
        LmConfig c = new LmConfig(11, 2, 8, 12, 2, 6, Gate.NONE, true);
        int[] tokens = {1, 4, 4, 0, 7, 10, 3, 2, 9, 5};
        int[] targets = {4, 4, 0, 7, 10, 3, 2, 9, 5, 1};
        for (Backend be : TestSupport.all()) {
            Transformer model = Transformer.initialise(c, 3);
            for (Parameter p : model.parameters()) {
                for (int i = 0; i < p.value().size(); i++) {
                    p.value().data()[i] *= 15;  // N(0, 0.3²): gradients large enough for float32 differences
                }
            }
            GradCheck.check(c.describe(), be, t -> SoftmaxCrossEntropy.apply(t,
                    model.forward(t, tokens, 2, 5, Transformer.Noise.NONE, Hooks.NONE), targets),
                    1e-3, 25, 5e-3, model.parameters().toArray(new Parameter[0]));
        }
    }
}
