package bilinear.cli;

import static bilinear.cli.CliTest.assertFails;
import static bilinear.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bilinear.cli.CliTest.Run;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decomposition commands as a user runs them, on the model trained by PyTorch
 * (src/fixtures): exit codes, what is printed, what is written, and one clear line for bad input
 * with nothing overwritten.
 */
class DecompositionCliTest {
    static final String TORCH = Path.of("..", "src", "fixtures", "torch_classifier.safetensors").toString();
    static final String TORCH_TWO_BLOCKS = Path.of("..", "src", "fixtures", "torch_biased.safetensors").toString();
    static final String NOT_A_MODEL = Path.of("..", "src", "fixtures", "torch_eigen.safetensors").toString();

    @TempDir
    Path dir;

    static JsonObject json(Run r) {
        assertEquals(0, r.code(), r.err());
        return JsonParser.parseString(r.out()).getAsJsonObject();
    }

    @Test
    void decomposeEveryClassAndCheckExactness() {
        JsonObject o = json(run("decompose", TORCH, "--json", "--top", "4"));
        assertEquals(32, o.get("eigenpairs_per_direction").getAsInt());
        JsonArray ds = o.getAsJsonArray("directions");
        assertEquals(10, ds.size());
        assertEquals(4, ds.get(3).getAsJsonObject().getAsJsonArray("eigenvalues").size());
        JsonObject exact = o.getAsJsonObject("exactness");
        assertEquals(2000, exact.get("samples").getAsInt());
        assertTrue(exact.get("relative").getAsDouble() < 1e-5, "Σλ(v·x)² reproduces the logits: " + exact);

        Run text = run("decompose", TORCH, "--direction", "3-5", "--order", "signed");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("decomposed 1 direction of a bilinear classifier 784→32→10"), text.out());
        assertTrue(text.out().contains("exact: max |Σλ(v·x)² − u·y(x)|"), text.out());
        assertTrue(text.out().contains("3-5 "), text.out());

        Run twoBlocks = run("decompose", TORCH_TWO_BLOCKS, "--json", "--no-verify");
        assertEquals(25, json(twoBlocks).get("eigenpairs_per_direction").getAsInt(), "24 hidden + the constant input");
    }

    @Test
    void singlePrecisionAgreesWithDoubleToFloatRounding() {
        JsonObject exact = json(run("decompose", TORCH, "--json", "--no-verify"));
        JsonObject single = json(run("decompose", TORCH, "--json", "--precision", "single"));
        String expected = bilinear.linalg.eigen.SymmetricEigen.effective(bilinear.linalg.eigen.SymmetricEigen.Precision.SINGLE)
                .name().toLowerCase(java.util.Locale.ROOT);
        assertEquals(expected, single.get("eigen_precision").getAsString(), "single unless the vector kernels are unavailable");
        assertEquals("double", exact.get("eigen_precision").getAsString());
        assertTrue(single.getAsJsonObject("exactness").get("relative").getAsDouble() < 1e-4,
                "single-precision eigenpairs still reproduce the logits: " + single.get("exactness"));
        for (int c = 0; c < 10; c++) {
            var a = exact.getAsJsonArray("directions").get(c).getAsJsonObject().getAsJsonArray("eigenvalues");
            var b = single.getAsJsonArray("directions").get(c).getAsJsonObject().getAsJsonArray("eigenvalues");
            double scale = Math.abs(a.get(0).getAsDouble());
            for (int i = 0; i < a.size(); i++) {
                assertEquals(a.get(i).getAsDouble(), b.get(i).getAsDouble(), 1e-5 * scale, "class " + c + " eigenvalue " + i);
            }
        }
        assertFails(run("decompose", TORCH, "--precision", "half"), ExitCode.BAD_INPUT, "unknown --precision 'half'");
    }

    @Test
    void directionFilesAreReadOrRefused() throws IOException {
        Path good = dir.resolve("u.txt"), bad = dir.resolve("short.txt");
        Files.writeString(good, "1 0 0 0 0 0 0 0 0 -1\n");
        Files.writeString(bad, "1, 2, 3\n");
        JsonObject o = json(run("decompose", TORCH, "-u", "file:" + good, "-u", "0-9", "--json", "--no-verify"));
        JsonArray ds = o.getAsJsonArray("directions");
        assertEquals(ds.get(1).getAsJsonObject().get("eigenvalues"), ds.get(0).getAsJsonObject().get("eigenvalues"),
                "e0 − e9 read from a file is the difference 0-9");
        assertFails(run("decompose", TORCH, "-u", "file:" + bad), ExitCode.BAD_INPUT,
                "direction file " + bad + " has 3 values but the model has 10 outputs");
        assertFails(run("decompose", TORCH, "-u", "12"), ExitCode.BAD_INPUT, "class 12 does not exist");
        assertFails(run("decompose", TORCH, "--order", "random"), ExitCode.BAD_INPUT, "unknown --order 'random'");
    }

    @Test
    void decomposeWritesAFolderAndNeverOverwritesWithoutForce() throws IOException {
        Path out = dir.resolve("dec");
        Run r = run("decompose", TORCH, "--out", out.toString(), "--no-verify");
        assertEquals(0, r.code(), r.err());
        for (String f : new String[] {"decomposition.safetensors", "eigenvalues.csv", "spectrum.svg", "eigenvectors/class0.png",
                                      "data/eigenvectors-class9.csv"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertNotBlank(out.resolve("eigenvectors/class4.png"));
        byte[] before = Files.readAllBytes(out.resolve("eigenvalues.csv"));
        assertFails(run("decompose", TORCH, "--out", out.toString(), "-u", "1"), ExitCode.BAD_INPUT, "already exists; pass --force");
        assertArrayEquals(before, Files.readAllBytes(out.resolve("eigenvalues.csv")));
        assertEquals(0, run("decompose", TORCH, "--out", out.toString(), "-u", "1", "--force", "--no-verify").code());
        assertTrue(Files.readString(out.resolve("eigenvalues.csv")).lines().allMatch(l -> l.startsWith("direction") || l.startsWith("class1,")));
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary folder left behind");
        }
    }

    @Test
    void truncationCurveAndKOutOfRange() {
        JsonObject o = json(run("truncate", TORCH, "--k", "1,5,32", "--json"));
        double full = o.get("full_accuracy").getAsDouble();
        for (var c : o.getAsJsonArray("curves")) {
            JsonArray acc = c.getAsJsonObject().getAsJsonArray("accuracy");
            assertEquals(full, acc.get(2).getAsDouble(), 0, "all 32 eigenvectors: the model itself");
        }
        assertFails(run("truncate", TORCH, "--k", "40"), ExitCode.BAD_INPUT, "k = 40 is out of range: each class has 32 eigenvectors");
        assertFails(run("truncate", TORCH, "--k", "0-3"), ExitCode.BAD_INPUT, "k = 0 is out of range");
        assertFails(run("truncate", TORCH, "--k", "ten"), ExitCode.BAD_INPUT, "--k must be a number");
        assertFails(run("truncate", TORCH, "--rule", "best"), ExitCode.BAD_INPUT, "unknown truncation rule 'best'");
    }

    @Test
    void explainOneImage() {
        JsonObject o = json(run("explain", TORCH, "--index", "0", "--json"));
        JsonArray logits = o.getAsJsonArray("logits");
        int argmax = 0;
        for (int c = 1; c < 10; c++) {
            argmax = logits.get(c).getAsDouble() > logits.get(argmax).getAsDouble() ? c : argmax;
        }
        assertEquals(argmax, o.get("predicted").getAsInt());
        assertEquals(argmax, o.getAsJsonArray("classes").get(0).getAsJsonObject().get("cls").getAsInt(), "the top logit first");
        assertEquals(2, o.getAsJsonArray("classes").size());
        Run text = run("explain", TORCH, "--index", "0", "--terms", "2");
        assertTrue(text.out().contains("mnist10k/test[0]: label digit 5, predicted digit " + argmax), text.out());
        assertFails(run("explain", TORCH, "--index", "2000"), ExitCode.BAD_INPUT, "--index 2000 is out of range: mnist10k/test has 2000 images");
        assertFails(run("explain", TORCH, "--index", "1", "--classes", "11"), ExitCode.BAD_INPUT, "--classes must be 1–10");
    }

    @Test
    void compareAndAdversarial() {
        JsonObject self = json(run("compare", TORCH, TORCH, "--k", "3", "--json"));
        for (var v : self.getAsJsonArray("mean_best_abs_cosine_by_rank")) {
            assertEquals(1, v.getAsDouble(), 1e-6, "a model matches itself");
        }
        assertFails(run("compare", TORCH, TORCH, "--k", "33"), ExitCode.BAD_INPUT, "--k 33 is out of range");
        assertFails(run("compare", TORCH, TORCH_TWO_BLOCKS), ExitCode.BAD_INPUT, "compare needs single-block models");

        JsonObject adv = json(run("adversarial", TORCH, "--eigenvectors", "3", "--limit", "300", "--json"));
        assertEquals(10, adv.getAsJsonArray("targets").size());
        assertFails(run("adversarial", TORCH), ExitCode.BAD_INPUT, "--eigenvectors 10 is out of range");
        assertFails(run("adversarial", TORCH_TWO_BLOCKS), ExitCode.BAD_INPUT, "need a single-block model");
        assertFails(run("adversarial", TORCH, "--std", "-1"), ExitCode.BAD_INPUT, "--std must be a positive number");
    }

    @Test
    void otherArchitecturesAndNonModelsAreRefused() {
        Path glu = dir.resolve("glu.safetensors");
        Run t = run("train", "--hidden", "8", "--epochs", "1", "--batch", "500", "--gate", "reglu", "--out", glu.toString());
        assertEquals(0, t.code(), t.err());
        for (String cmd : new String[] {"decompose", "truncate", "report", "adversarial"}) {
            assertFails(run(cmd, glu.toString()), ExitCode.BAD_INPUT, "only bilinear models decompose exactly; this is a ReGLU classifier");
        }
        assertFails(run("decompose", NOT_A_MODEL), ExitCode.BAD_INPUT, "is not a bilinear image classifier");
        assertFails(run("decompose", dir.resolve("missing.safetensors").toString()), ExitCode.BAD_INPUT, "no such checkpoint");
    }

    @Test
    void reportFolderWithPicturesAndData() throws IOException {
        Path out = dir.resolve("report");
        Run r = run("report", TORCH, "--out", out.toString(), "--k-max", "12", "--compare", TORCH);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("report: " + out.resolve("index.html")), r.out());
        String html = Files.readString(out.resolve("index.html"));
        assertFalse(html.contains("http://") || html.contains("https://"), "nothing fetched from the network");
        Matcher src = Pattern.compile("src=\"([^\"]+)\"").matcher(html);
        int images = 0;
        while (src.find()) {
            Path img = out.resolve(src.group(1));
            assertTrue(Files.isRegularFile(img), "referenced image exists: " + src.group(1));
            if (img.toString().endsWith(".png")) {
                assertNotBlank(img);
            } else {
                assertTrue(Files.readString(img).contains("<polyline"), "a chart with data: " + img);
            }
            images++;
        }
        assertTrue(images >= 20, "the report shows its figures: " + images);
        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("report.json"))).getAsJsonObject();
        assertTrue(json.getAsJsonObject("exactness").get("relative").getAsDouble() < 1e-5);
        assertEquals(12, json.getAsJsonObject("truncation").getAsJsonArray("curves").get(0).getAsJsonObject().getAsJsonArray("ks").size());
        assertTrue(json.has("consistency"));
        assertTrue(Files.readString(out.resolve("data/truncation.csv")).startsWith("rule,k,accuracy\n"));

        byte[] before = Files.readAllBytes(out.resolve("index.html"));
        assertFails(run("report", TORCH, "--out", out.toString()), ExitCode.BAD_INPUT, "already exists; pass --force");
        assertFails(run("report", TORCH, "--out", dir.resolve("other").toString(), "--k-max", "33"), ExitCode.BAD_INPUT,
                "--k-max 33 is out of range");
        assertFails(run("report", TORCH, "--out", dir.resolve("other").toString(), "--compare", TORCH_TWO_BLOCKS), ExitCode.BAD_INPUT,
                "--compare needs single-block models");
        assertArrayEquals(before, Files.readAllBytes(out.resolve("index.html")));
        assertFalse(Files.exists(dir.resolve("other")));
    }

    @Test
    void aTwoBlockModelWithBiasesIsReadRecursively() throws IOException {
        Path out = dir.resolve("two");
        Run r = run("report", TORCH_TWO_BLOCKS, "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("report.json"))).getAsJsonObject();
        assertTrue(json.getAsJsonObject("exactness").get("relative").getAsDouble() < 1e-5, "the top block is exact");
        assertEquals(25, json.get("eigenvectors_per_class").getAsInt(), "every k up to the 25 eigenvectors, not the default 30");
        assertTrue(json.getAsJsonObject("notes").get("adversarial").getAsString().contains("single-block"));
        assertNotBlank(out.resolve("eigenvectors/class0-path0.png"));
        assertNotBlank(out.resolve("eigenvectors/class0-path1.png"));
    }

    @Test
    void helpListsTheDecompositionCommands() {
        Run help = run("--help");
        for (String cmd : new String[] {"decompose", "truncate", "explain", "compare", "adversarial", "report"}) {
            assertTrue(help.out().contains("  " + cmd + " "), cmd + " in: " + help.out());
        }
    }

    /** A PNG that decodes and has more than one colour. */
    static void assertNotBlank(Path png) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img != null && img.getWidth() > 28 && img.getHeight() > 28, "decodes: " + png);
        int first = img.getRGB(0, 0);
        long differing = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                differing += img.getRGB(x, y) != first ? 1 : 0;
            }
        }
        assertTrue(differing > img.getWidth() * img.getHeight() / 40, "not blank: " + png + " (" + differing + " pixels differ)");
    }
}
