package bilinear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The language-model and SAE commands with captured output: a tiny model on a small text file. */
class LmCliTest {
    @TempDir
    Path dir;
    Path corpus;

    @BeforeEach
    void writeCorpus() throws IOException {
        StringBuilder sb = new StringBuilder();
        String[] animals = {"cat", "dog", "bird", "fish", "horse"};
        for (int i = 0; i < 3000; i++) {
            sb.append("The ").append(animals[i % 5]).append(" saw the ").append(animals[(i + 2) % 5]).append(" and ran away.\n");
            if (i % 500 == 499) {
                sb.append("<|endoftext|>\n");
            }
        }
        corpus = dir.resolve("stories.txt");
        Files.writeString(corpus, sb.toString());
    }

    String[] tiny(Path out, String... extra) {
        String[] base = {"lm", "train", "--corpus", corpus.toString(), "--vocab", "300", "--layers", "1", "--d-model", "32",
            "--d-hidden", "64", "--heads", "2", "--context", "32", "--batch", "8", "--steps", "40", "--warmup", "5",
            "--lr", "3e-3", "--out", out.toString()};
        String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void trainEvaluateSampleAndAnSae() {
        Path model = dir.resolve("lm.safetensors");
        CliTest.Run train = CliTest.run(tiny(model, "--json"));
        assertEquals(0, train.code(), train.err());
        JsonObject t = JsonParser.parseString(train.out()).getAsJsonObject();
        double bpb = t.get("validation_bits_per_byte").getAsDouble();
        assertTrue(bpb < 2.0, "a repetitive text compresses well below 8 bits per byte: " + bpb);
        assertTrue(Files.exists(dir.resolve("lm.tokenizer.json")) && Files.exists(dir.resolve("lm.state.safetensors")));

        CliTest.Run eval = CliTest.run("lm", "eval", model.toString(), "--json");
        assertEquals(0, eval.code(), eval.err());
        assertEquals(bpb, JsonParser.parseString(eval.out()).getAsJsonObject().get("bits_per_byte").getAsDouble(), 1e-9,
                "eval reproduces the training run's validation");

        CliTest.Run sample = CliTest.run("lm", "sample", model.toString(), "--prompt", "The cat", "--tokens", "8", "--seed", "3");
        assertEquals(0, sample.code(), sample.err());
        assertTrue(sample.out().startsWith("The cat"), sample.out());
        assertEquals(sample.out(), CliTest.run("lm", "sample", model.toString(), "--prompt", "The cat", "--tokens", "8", "--seed", "3").out(),
                "seeded sampling repeats");

        CliTest.Run resumed = CliTest.run("lm", "train", "--resume", model.toString(), "--steps", "50");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("resuming after step 40"), resumed.err());

        Path sae = dir.resolve("sae.safetensors");
        CliTest.Run s = CliTest.run("sae", "train", model.toString(), "--k", "8", "--expansion", "2", "--tokens", "4096",
                "--epochs", "2", "--batch", "256", "--out", sae.toString(), "--json");
        assertEquals(0, s.code(), s.err());
        JsonObject o = JsonParser.parseString(s.out()).getAsJsonObject();
        assertEquals(64, o.get("latents").getAsInt());
        assertTrue(o.get("nmse").getAsDouble() < 1.0, "better than predicting the mean: " + s.out());
        assertTrue(Files.exists(sae));

        Path saeIn = dir.resolve("sae-in.safetensors");
        assertEquals(0, CliTest.run("sae", "train", model.toString(), "--site", "mlp-in", "--k", "8", "--expansion", "2", "--tokens",
                "4096", "--epochs", "2", "--batch", "256", "--out", saeIn.toString()).code());
        Path report = dir.resolve("circuits");
        CliTest.Run c = CliTest.run("circuits", model.toString(), "--sae-out", sae.toString(), "--sae-in", saeIn.toString(),
                "--token", " cat", "--samples", "2048", "--report", report.toString(), "--json");
        assertEquals(0, c.code(), c.err());
        JsonObject cj = JsonParser.parseString(c.out()).getAsJsonObject();
        assertTrue(cj.get("exactness").getAsDouble() < 1e-4, "xᵀQ(u)x equals the feature pre-activation: " + cj.get("exactness"));
        assertEquals(16, cj.getAsJsonArray("median_correlation_by_k").size());
        assertTrue(Files.exists(report.resolve("index.html")) && Files.exists(report.resolve("circuits.json")));
        CliTest.assertFails(CliTest.run("circuits", model.toString(), "--sae-out", sae.toString(), "--report", report.toString()),
                ExitCode.BAD_INPUT, "already exists");
        CliTest.assertFails(CliTest.run("circuits", model.toString(), "--token", "catastrophically"), ExitCode.BAD_INPUT, "tokens; pick a single token");
        CliTest.assertFails(CliTest.run("circuits", model.toString()), ExitCode.BAD_INPUT, "nothing to analyse");
        CliTest.assertFails(CliTest.run("circuits", model.toString(), "--sae-out", saeIn.toString()), ExitCode.BAD_INPUT,
                "--sae-out reads layer 0 MLP input, not layer 0 MLP output");
    }

    @Test
    void clearErrors() throws IOException {
        Path model = dir.resolve("m.safetensors");
        CliTest.assertFails(CliTest.run("lm", "train", "--corpus", dir.resolve("none.txt").toString(), "--out", model.toString()),
                ExitCode.BAD_INPUT, "no such corpus file");
        CliTest.assertFails(CliTest.run("lm", "train", "--corpus", corpus.toString(), "--d-model", "30", "--heads", "4",
                "--out", model.toString()), ExitCode.BAD_INPUT, "heads of even size");
        CliTest.assertFails(CliTest.run("lm", "train", "--corpus", corpus.toString(), "--steps", "0", "--out", model.toString()),
                ExitCode.BAD_INPUT, "--steps must be at least 1");
        CliTest.assertFails(CliTest.run("lm", "eval", model.toString()), ExitCode.BAD_INPUT, "no such checkpoint");
        assertTrue(!Files.exists(model));
        // an image classifier is not a language model
        CliTest.assertFails(CliTest.run("lm", "eval", Path.of("..", "src", "fixtures", "torch_classifier.safetensors").toString()),
                ExitCode.BAD_INPUT, "no architecture");
        CliTest.Run ok = CliTest.run(tiny(model));
        assertEquals(0, ok.code(), ok.err());
        CliTest.assertFails(CliTest.run("sae", "train", model.toString(), "--layer", "3"), ExitCode.BAD_INPUT, "--layer 3 does not exist");
        CliTest.assertFails(CliTest.run("sae", "train", model.toString(), "--k", "0"), ExitCode.BAD_INPUT, "invalid SAE");
        CliTest.assertFails(CliTest.run("sae", "train", model.toString(), "--site", "attn"), ExitCode.BAD_INPUT, "unknown site");
        CliTest.assertFails(CliTest.run("lm", "sample", model.toString(), "--tokens", "-1"), ExitCode.BAD_INPUT, "--tokens");
    }

    @Test
    void comparesGatesAtEqualStepsAndEqualTime() {
        CliTest.Run r = CliTest.run("lm", "compare", "--corpus", corpus.toString(), "--gates", "bilinear,swiglu", "--equal-time",
                "--vocab", "300", "--layers", "1", "--d-model", "32", "--d-hidden", "64", "--heads", "2", "--context", "32",
                "--batch", "8", "--steps", "20", "--warmup", "2", "--json");
        assertEquals(0, r.code(), r.err());
        var rows = JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonArray("rows");
        assertEquals(4, rows.size(), "two gates × two budgets");
        assertEquals("bilinear", rows.get(0).getAsJsonObject().get("gate").getAsString());
        assertEquals("SwiGLU", rows.get(3).getAsJsonObject().get("gate").getAsString());
        assertEquals("equal time", rows.get(3).getAsJsonObject().get("budget").getAsString());
        for (var row : rows) {
            double nats = row.getAsJsonObject().get("natsPerToken").getAsDouble();
            assertTrue(nats > 0 && nats < Math.log(300), "better than uniform: " + row);
        }
    }
}
