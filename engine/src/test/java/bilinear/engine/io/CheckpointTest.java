package bilinear.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bilinear.engine.BadInputException;
import bilinear.engine.TestSupport;
import bilinear.engine.autograd.Tape;
import bilinear.engine.model.BilinearClassifier;
import bilinear.engine.model.ImageModelConfig;
import bilinear.engine.model.Noise;
import bilinear.engine.train.EpochRecord;
import bilinear.linalg.Backend;
import bilinear.linalg.Gate;
import bilinear.linalg.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir
    Path dir;

    /** Logits of a checkpoint on the fixture's inputs against PyTorch's float64 logits. */
    private static void assertSameLogits(String model, String io, Backend be) {
        Checkpoint.Loaded loaded = Checkpoint.load(TestSupport.fixture(model));
        assertTrue(loaded.fromReference(), "no bilinear metadata in a PyTorch file");
        Map<String, Tensor> ref = Safetensors.read(TestSupport.fixture(io)).tensors();
        Tape tape = new Tape(be);
        tape.reset(false);
        Tensor logits = loaded.model().forward(tape, tape.constant(ref.get("x")), Noise.NONE).value();
        Tensor expected = ref.get("logits");
        assertEquals(expected.shape(), logits.shape());
        double maxLogit = 0, maxErr = 0;
        for (int i = 0; i < expected.size(); i++) {
            maxLogit = Math.max(maxLogit, Math.abs(expected.data()[i]));
            maxErr = Math.max(maxErr, Math.abs(expected.data()[i] - logits.data()[i]));
        }
        assertTrue(maxErr <= 1e-5 * maxLogit, model + " on " + be.describe() + ": max |Δlogit| " + maxErr + " vs max |logit| " + maxLogit);
    }

    @Test
    void aModelTrainedByPyTorchGivesTheSameLogits() {
        for (Backend be : TestSupport.all()) {
            assertSameLogits("torch_classifier.safetensors", "torch_classifier_io.safetensors", be);
            assertSameLogits("torch_biased.safetensors", "torch_biased_io.safetensors", be);
        }
        ImageModelConfig c = Checkpoint.load(TestSupport.fixture("torch_biased.safetensors")).model().config();
        assertEquals(new ImageModelConfig(784, 24, 10, 2, false, Gate.NONE, true), c);
    }

    @Test
    void ourCheckpointKeepsWeightsConfigAndHistory() {
        ImageModelConfig config = new ImageModelConfig(784, 16, 10, 2, true, Gate.RELU, true);
        BilinearClassifier m = BilinearClassifier.initialise(config, 5);
        List<EpochRecord> history = List.of(new EpochRecord(1, 0.5, 0.8, 0.4, 0.85, 1e-3, 1.0, 0.1, 8000));
        Path p = dir.resolve("m.safetensors");
        Checkpoint.save(p, m, null, history, 1, 62);
        Checkpoint.Loaded l = Checkpoint.load(p);
        assertFalse(l.fromReference());
        assertEquals(config, l.model().config());
        assertEquals(history, l.history());
        assertEquals(62, l.stepsDone());
        assertArrayEquals(m.block(1).data(), l.model().block(1).data());
        assertEquals("pt", l.metadata().get("format"));
    }

    @Test
    void refusesWrongShapesOtherArchitecturesAndNaN() throws IOException {
        BilinearClassifier m = BilinearClassifier.initialise(ImageModelConfig.bilinear(8), 1);
        Map<String, Tensor> t = new LinkedHashMap<>();
        m.parameters().forEach(p -> t.put(p.name(), p.value()));

        Map<String, Tensor> wrongShape = new LinkedHashMap<>(t);
        wrongShape.put("blocks.0.weight", Tensor.zeros(16, 9));
        expect(wrongShape, "blocks.0.weight", "has shape [16, 9], expected [16, 8]");

        Map<String, Tensor> other = new LinkedHashMap<>();
        other.put("wte.weight", Tensor.zeros(10, 4));
        expect(other, "other", "is not a bilinear image classifier");

        Map<String, Tensor> extra = new LinkedHashMap<>(t);
        extra.put("blocks.0.gain", Tensor.zeros(8));
        expect(extra, "extra", "unexpected tensor 'blocks.0.gain'");

        Map<String, Tensor> nan = new LinkedHashMap<>(t);
        Tensor head = t.get("head.weight").copy();
        head.data()[7] = Float.NaN;
        nan.put("head.weight", head);
        expect(nan, "nan", "tensor 'head.weight' contains NaN at index 7");
    }

    private void expect(Map<String, Tensor> tensors, String name, String fragment) {
        Path p = dir.resolve(name + ".safetensors");
        Safetensors.write(p, tensors, Map.of());
        BadInputException e = assertThrows(BadInputException.class, () -> Checkpoint.load(p));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertTrue(e.getMessage().startsWith(p.toString()), "names the file: " + e.getMessage());
    }

    @Test
    void resumeRefusesAMismatchedOptimizerState() throws IOException {
        BilinearClassifier m = BilinearClassifier.initialise(ImageModelConfig.bilinear(8), 1);
        Path p = dir.resolve("m.safetensors");
        Checkpoint.save(p, m, null, List.of(), 2, 20);
        BadInputException missing = assertThrows(BadInputException.class,
                () -> Checkpoint.loadOptimizer(p, Checkpoint.load(p), new bilinear.engine.optim.AdamW(bilinear.engine.optim.AdamW.Settings.of(0))));
        assertTrue(missing.getMessage().contains("optimizer state"), missing.getMessage());
        Safetensors.write(Checkpoint.statePath(p), Map.of(), Map.of(Checkpoint.KEY_EPOCHS, "1", Checkpoint.KEY_STEPS, "10"));
        BadInputException stale = assertThrows(BadInputException.class,
                () -> Checkpoint.loadOptimizer(p, Checkpoint.load(p), new bilinear.engine.optim.AdamW(bilinear.engine.optim.AdamW.Settings.of(0))));
        assertTrue(stale.getMessage().contains("is from epoch 1"), stale.getMessage());
        assertTrue(Files.exists(p));
    }
}
