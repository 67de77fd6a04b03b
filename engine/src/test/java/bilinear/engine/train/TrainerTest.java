package bilinear.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bilinear.engine.TestSupport;
import bilinear.engine.autograd.Parameter;
import bilinear.engine.data.DataSplit;
import bilinear.engine.data.Datasets;
import bilinear.engine.io.Checkpoint;
import bilinear.engine.model.BilinearClassifier;
import bilinear.engine.model.ImageModelConfig;
import bilinear.engine.optim.AdamW;
import bilinear.engine.optim.Schedule;
import bilinear.linalg.Backend;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    static DataSplit digits;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        DataSplit all = Datasets.load("mnist10k", null);
        // a quarter of the bundled digits keeps each run under a second
        digits = new DataSplit("digits", all.train().slice("train", 0, 2000), all.test().slice("test", 0, 500));
    }

    static TrainConfig config(int epochs) {
        return new TrainConfig("mnist10k", null, ImageModelConfig.bilinear(32), epochs, 100, 2e-3f,
                AdamW.Settings.of(0.1f), Schedule.of("cosine", 5, 1, 1), 0.3f, 0.2f, 11);
    }

    private static void assertSameWeights(BilinearClassifier a, BilinearClassifier b) {
        List<Parameter> pa = a.parameters(), pb = b.parameters();
        for (int i = 0; i < pa.size(); i++) {
            assertArrayEquals(pa.get(i).value().data(), pb.get(i).value().data(), pa.get(i).name() + " differs");
        }
    }

    @Test
    void learnsDigits() {
        Trainer.Result r = Trainer.run(config(6), digits, TestSupport.simd(2), null, null, null, TrainListener.SILENT);
        assertEquals(6, r.history().size());
        assertTrue(r.history().get(0).trainLoss() > r.last().trainLoss(), "the loss falls: " + r.history());
        assertTrue(r.last().testAccuracy() > 0.85, "a 32-wide model reaches 85% after 6 epochs on 2,000 digits: " + r.last());
    }

    @Test
    void sameSeedSameWeightsForAnyThreadCount() {
        Trainer.Result one = Trainer.run(config(2), digits, TestSupport.simd(1), null, null, null, TrainListener.SILENT);
        Trainer.Result two = Trainer.run(config(2), digits, TestSupport.simd(2), null, null, null, TrainListener.SILENT);
        assertSameWeights(one.model(), two.model());
        assertEquals(one.last().trainLoss(), two.last().trainLoss(), 0.0);
    }

    @Test
    void scalarAndSimdBackendsTrainTheSameModel() {
        Backend scalar = TestSupport.scalar();
        Trainer.Result a = Trainer.run(config(1), digits, scalar, null, null, null, TrainListener.SILENT);
        Trainer.Result b = Trainer.run(config(1), digits, TestSupport.simd(2), null, null, null, TrainListener.SILENT);
        // different summation orders: close, not identical
        assertEquals(a.last().trainLoss(), b.last().trainLoss(), 1e-3 * a.last().trainLoss());
        assertEquals(a.last().testAccuracy(), b.last().testAccuracy(), 0.01);
    }

    @Test
    void aResumedRunEqualsAnUninterruptedOne() {
        Trainer.Result full = Trainer.run(config(3), digits, TestSupport.simd(2), null, null, null, TrainListener.SILENT);
        Path p = dir.resolve("run.safetensors");
        try {
            Trainer.run(config(3), digits, TestSupport.simd(2), p, null, null, new TrainListener() {
                @Override
                public void saved(Path path) {
                    throw new Interrupted();  // as if Ctrl-C arrived right after the first checkpoint
                }
            });
        } catch (Interrupted expected) {
            // the first epoch's checkpoint is on disk
        }
        Checkpoint.Loaded first = Checkpoint.load(p);
        assertEquals(1, first.epochsDone());
        Trainer.Result resumed = Trainer.run(first.train(), digits, TestSupport.simd(2), p, first, p, TrainListener.SILENT);
        assertSameWeights(full.model(), resumed.model());
        assertEquals(3, resumed.history().size());
        for (int e = 0; e < 3; e++) {
            assertEquals(full.history().get(e).trainLoss(), resumed.history().get(e).trainLoss(), 0.0, "epoch " + (e + 1));
        }
        assertEquals(3, Checkpoint.load(p).epochsDone());
    }

    /** Stands in for an interruption. */
    static final class Interrupted extends RuntimeException {
    }
}
