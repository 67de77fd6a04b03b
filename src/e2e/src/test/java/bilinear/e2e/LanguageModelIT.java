package bilinear.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short real language-model run on the King James Bible from Debian (bible-kjv), then SAEs
 * around its MLP and the circuit pipeline on the result. CI installs the package and sets
 * bilinear.e2e.requireKjv, so there a missing corpus fails instead of skipping.
 */
class LanguageModelIT {
    @TempDir
    Path dir;

    @Test
    void trainsOnTheBibleThenSaesAndCircuits() throws Exception {
        if (!Boolean.getBoolean("bilinear.e2e.requireKjv")) {
            assumeTrue(Files.isExecutable(Path.of("/usr/bin/bible")), "bible-kjv (the bible program) is not installed");
        }
        Path model = dir.resolve("kjv.safetensors");
        Launcher.Result train = Launcher.run(dir, "lm", "train", "--corpus", "kjv", "--vocab", "1024", "--layers", "1",
                "--d-model", "64", "--d-hidden", "256", "--heads", "2", "--context", "64", "--batch", "16", "--steps", "150",
                "--warmup", "10", "--lr", "3e-3", "--out", model.toString(), "--json");
        assertEquals(0, train.code(), train.err());
        JsonObject t = JsonParser.parseString(train.out()).getAsJsonObject();
        JsonArray spans = t.getAsJsonObject("history").getAsJsonArray("spans");
        double first = spans.get(0).getAsJsonObject().get("meanLoss").getAsDouble();
        double last = spans.get(spans.size() - 1).getAsJsonObject().get("meanLoss").getAsDouble();
        assertTrue(last < first - 1.0, "the loss falls: " + first + " → " + last);
        double bpb = t.get("validation_bits_per_byte").getAsDouble();
        assertTrue(bpb < 2.6, "better than a unigram model (2.2 bits/byte at 4096 tokens, more at 1024): " + bpb);
        System.out.printf("kjv LM (d=64, 150 steps): %.3f bits/byte, %.1f s%n", bpb, train.seconds());

        Launcher.Result sample = Launcher.run(dir, "lm", "sample", model.toString(), "--prompt", "And God said", "--tokens", "20");
        assertEquals(0, sample.code(), sample.err());
        assertTrue(sample.out().startsWith("And God said"), sample.out());

        for (String site : new String[] {"mlp-in", "mlp-out"}) {
            Launcher.Result sae = Launcher.run(dir, "sae", "train", model.toString(), "--site", site, "--k", "16",
                    "--tokens", "32768", "--epochs", "3", "--out", dir.resolve("sae-" + site + ".safetensors").toString(), "--json");
            assertEquals(0, sae.code(), sae.err());
            double nmse = JsonParser.parseString(sae.out()).getAsJsonObject().get("nmse").getAsDouble();
            assertTrue(nmse < 0.5, site + " NMSE " + nmse);
        }
        Path report = dir.resolve("circuits");
        Launcher.Result circuits = Launcher.run(dir, "circuits", model.toString(), "--sae-out", dir.resolve("sae-mlp-out.safetensors").toString(),
                "--sae-in", dir.resolve("sae-mlp-in.safetensors").toString(), "--token", " Lord", "--samples", "8192",
                "--report", report.toString(), "--json");
        assertEquals(0, circuits.code(), circuits.err());
        JsonObject c = JsonParser.parseString(circuits.out()).getAsJsonObject();
        assertTrue(c.get("exactness").getAsDouble() <= 1e-4, "the decomposition reproduces the feature pre-activations: " + c.get("exactness"));
        assertTrue(Files.exists(report.resolve("index.html")));
        System.out.printf("circuits: exactness %.1e, median top-2 correlation %.3f over %d live features%n", c.get("exactness").getAsDouble(),
                c.get("median_top2_correlation").getAsDouble(), c.get("live_features").getAsInt());
    }
}
