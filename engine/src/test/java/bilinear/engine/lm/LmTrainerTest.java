package bilinear.engine.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bilinear.engine.TestSupport;
import bilinear.engine.autograd.Parameter;
import bilinear.engine.optim.AdamW;
import bilinear.engine.optim.Schedule;
import bilinear.engine.text.BpeTokenizer;
import bilinear.engine.text.Corpus;
import bilinear.linalg.Gate;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LmTrainerTest {
    static BpeTokenizer tokenizer;
    static TokenData data;

    @TempDir
    Path dir;

    @BeforeAll
    static void corpus() {
        StringBuilder sb = new StringBuilder();
        String[] names = {"Adam", "Seth", "Enos", "Cainan", "Mahalaleel", "Jared", "Enoch"};
        for (int i = 0; i < 400; i++) {
            String a = names[i % names.length], b = names[(i + 1) % names.length];
            sb.append(a).append(" lived and begat ").append(b).append(". And ").append(b).append(" lived.\n");
        }
        Corpus c = Corpus.split("begats", sb.toString());
        tokenizer = BpeTokenizer.train(c.train(), 300, false);
        data = TokenData.encode(c, tokenizer);
    }

    private static LmTrainer.Result trained;

    /** 150 steps on the repetitive text (about a second), shared by the tests that only read it. */
    static synchronized LmTrainer.Result trained() {
        if (trained == null) {
            trained = LmTrainer.run(config(150), data, tokenizer, TestSupport.simd(2), null, null, null, LmListener.SILENT);
        }
        return trained;
    }

    static LmTrainConfig config(int steps) {
        LmConfig m = new LmConfig(300, 1, 32, 64, 2, 16, Gate.NONE, true);
        return new LmTrainConfig("begats", null, m, steps, 8, 3e-3f, new AdamW.Settings(0.9f, 0.95f, 1e-8f, 0.1f, 1f),
                Schedule.of("linear", 5, 1, 1), 0f, 0, 5);
    }

    static void assertSameWeights(Transformer a, Transformer b) {
        List<Parameter> pa = a.parameters(), pb = b.parameters();
        for (int i = 0; i < pa.size(); i++) {
            assertArrayEquals(pa.get(i).value().data(), pb.get(i).value().data(), pa.get(i).name());
        }
    }

    @Test
    void learnsARepetitiveText() {
        LmTrainer.Result r = trained();
        List<LmRecords.Span> spans = r.history().spans();
        assertTrue(spans.get(spans.size() - 1).meanLoss() < 0.3 * spans.get(0).meanLoss(), "loss falls: " + spans);
        LmRecords.Validation v = r.lastValidation();
        assertTrue(v.natsPerToken() < 1.0, "a memorisable text: " + v);
        assertEquals(v.natsPerToken() * data.validation().length / data.validationBytes() / Math.log(2), v.bitsPerByte(), 1e-12);
        // The trainer evaluates on its own tape's buffers: exactly what a fresh tape gives.
        assertEquals(LmEvaluation.validationLoss(r.model(), data.validation(), 8, TestSupport.simd(2)), v.natsPerToken(), 0);
    }

    @Test
    void reproducibleForAnyThreadCountAndResumable() {
        LmTrainer.Result one = LmTrainer.run(config(12), data, tokenizer, TestSupport.simd(1), null, null, null, LmListener.SILENT);
        LmTrainer.Result two = LmTrainer.run(config(12), data, tokenizer, TestSupport.simd(2), null, null, null, LmListener.SILENT);
        assertSameWeights(one.model(), two.model());

        Path p = dir.resolve("lm.safetensors");
        LmTrainConfig first = new LmTrainConfig("begats", null, config(12).model(), 12, 8, 3e-3f, config(12).optimizer(),
                config(12).schedule(), 0f, 6, 5);
        try {
            LmTrainer.run(first, data, tokenizer, TestSupport.simd(2), p, null, null, new LmListener() {
                @Override
                public void saved(Path path, int step) {
                    throw new IllegalStateException("stop");  // an interruption right after the step-6 checkpoint
                }
            });
        } catch (IllegalStateException expected) {
            // stopped
        }
        LmCheckpoint.Loaded loaded = LmCheckpoint.load(p, null);
        assertEquals(6, loaded.stepsDone());
        LmTrainer.Result resumed = LmTrainer.run(loaded.train(), data, loaded.tokenizer(), TestSupport.simd(2), p, loaded, p,
                LmListener.SILENT);
        assertSameWeights(two.model(), resumed.model());
    }

    @Test
    void samplesDeterministically() {
        LmTrainer.Result r = trained();
        String a = Sampler.generate(r.model(), tokenizer, "Adam lived", 12, 0.8, 20, 7, TestSupport.simd(2));
        String b = Sampler.generate(r.model(), tokenizer, "Adam lived", 12, 0.8, 20, 7, TestSupport.simd(2));
        assertEquals(a, b);
        String greedy = Sampler.generate(r.model(), tokenizer, "Adam lived", 4, 0, 0, 1, TestSupport.simd(2));
        assertTrue(greedy.startsWith(" and begat"), "greedy continues the pattern: '" + greedy + "'");
    }
}
