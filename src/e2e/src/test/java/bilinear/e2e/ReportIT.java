package bilinear.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report as a reader sees it: {@code ./bilinear report} on the model trained by PyTorch, then
 * the page opened in headless Chromium (Debian's {@code chromium}) over the DevTools protocol.
 * Every image must load and have a size, the console must stay free of errors (a missing file
 * shows up there as a failed load), and the rendered page must not be blank. CI installs Chromium
 * and sets bilinear.e2e.requireChromium, so there a missing browser fails instead of skipping.
 * The screenshot is kept in target/report-screenshot.png.
 */
class ReportIT {
    @TempDir
    Path dir;

    @Test
    void theReportRendersInHeadlessChromiumWithoutErrors() throws Exception {
        if (!Boolean.getBoolean("bilinear.e2e.requireChromium")) {
            assumeTrue(Chromium.available(), "chromium is not installed (apt-get install chromium)");
        }
        Path report = dir.resolve("report");
        Path model = Launcher.root().resolve("src/fixtures/torch_classifier.safetensors");
        Launcher.Result r = Launcher.run(dir, "report", model.toString(), "--out", report.toString(), "--compare", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("report: " + report.resolve("index.html")), r.out());

        try (Chromium browser = Chromium.start(dir.resolve("profile"))) {
            browser.open(report.resolve("index.html").toUri().toString());
            JsonArray images = JsonParser.parseString(browser.evaluate(
                    "JSON.stringify(Array.from(document.images).map(i => [i.getAttribute('src'), i.complete, i.naturalWidth, i.naturalHeight]))"))
                    .getAsJsonArray();
            assertTrue(images.size() >= 20, "the page shows its figures: " + images.size());
            for (var img : images) {
                JsonArray a = img.getAsJsonArray();
                assertTrue(a.get(1).getAsBoolean() && a.get(2).getAsInt() > 0 && a.get(3).getAsInt() > 0, "image loaded with a size: " + a);
            }
            String title = browser.evaluate("document.title");
            assertTrue(title.startsWith("Decomposition of"), title);
            byte[] png = browser.screenshot();
            assertTrue(browser.errors().isEmpty(), "console errors: " + browser.errors());
            BufferedImage shot = ImageIO.read(new ByteArrayInputStream(png));
            assertTrue(shot.getHeight() > 3000, "the whole page: " + shot.getWidth() + "×" + shot.getHeight());
            assertTrue(colours(shot) > 50, "a rendered page, not a blank one");
            Path keep = Path.of("target", "report-screenshot.png");
            Files.createDirectories(keep.getParent());
            Files.write(keep, png);
            System.out.printf("report rendered in Chromium: %d images, %d×%d screenshot at %s%n", images.size(), shot.getWidth(),
                    shot.getHeight(), keep.toAbsolutePath());
        }
    }

    /** Distinct colours among a sample of the screenshot's pixels. */
    static long colours(BufferedImage img) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 7) {
            for (int x = 0; x < img.getWidth(); x += 7) {
                seen.add(img.getRGB(x, y));
            }
        }
        return seen.size();
    }
}
