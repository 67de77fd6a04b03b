package bilinear.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Fashion-MNIST training run (Debian's dataset-fashion-mnist), short enough for CI: 60,000
 * images, d = 128, 3 epochs. CI installs the package and sets bilinear.e2e.requireFashion, so
 * there a missing dataset fails instead of skipping.
 */
class FashionMnistIT {
    static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir
    Path dir;

    @Test
    void trainsOnFashionMnist() throws Exception {
        boolean required = Boolean.getBoolean("bilinear.e2e.requireFashion");
        if (!required) {
            assumeTrue(Files.isDirectory(DATA), "dataset-fashion-mnist is not installed");
        }
        Path ckpt = dir.resolve("fashion.safetensors");
        Launcher.Result r = Launcher.run(dir, "train", "--dataset", "fashion-mnist", "--hidden", "128", "--epochs", "3",
                "--batch", "512", "--lr", "2e-3", "--noise", "0.3", "--out", ckpt.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        double accuracy = o.get("test_accuracy").getAsDouble();
        assertTrue(accuracy > 0.80, "3 epochs of a d=128 bilinear model on Fashion-MNIST: " + accuracy);
        var history = o.getAsJsonArray("history");
        assertTrue(history.get(2).getAsJsonObject().get("trainLoss").getAsDouble()
                < history.get(0).getAsJsonObject().get("trainLoss").getAsDouble(), "the loss falls");
        System.out.printf("fashion-mnist d=128, 3 epochs: accuracy %.4f, %.1f s wall%n", accuracy, r.seconds());
    }
}
