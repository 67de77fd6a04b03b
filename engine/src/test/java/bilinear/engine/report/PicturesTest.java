package bilinear.engine.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bilinear.engine.BadInputException;
import bilinear.engine.io.OutputFolder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pieces pictures and reports are made of: colours, tiles, numbers, charts, CSV, all-or-nothing folders. */
class PicturesTest {
    @TempDir
    Path dir;

    @Test
    void divergingColoursAreBluePositiveRedNegativeWhiteZeroAndSymmetric() {
        assertEquals(0xffffff, Colormap.diverging(0, 1), "white at zero");
        assertEquals(0x2166ac, Colormap.diverging(1, 1), "blue at +limit");
        assertEquals(0xb2182b, Colormap.diverging(-1, 1), "red at −limit");
        assertEquals(0x2166ac, Colormap.diverging(5, 1), "saturates beyond the range");
        int halfBlue = Colormap.diverging(0.5, 1), halfRed = Colormap.diverging(-0.5, 1);
        int whiteness = (halfBlue >> 16 & 0xff) + (halfBlue >> 8 & 0xff) + (halfBlue & 0xff);
        assertTrue(whiteness > 3 * 0x80, "half way is paler than the end");
        assertTrue((halfBlue & 0xff) > (halfBlue >> 16 & 0xff) && (halfRed >> 16 & 0xff) > (halfRed & 0xff), "blue stays blue, red stays red");
        assertEquals(0xffffff, Colormap.diverging(1, 0), "an all-zero picture is white, not NaN");
    }

    @Test
    void aGridDrawsEveryPixelOnItsOwnSymmetricRange() throws IOException {
        float[] v = new float[2 * 4];
        v[0] = 2f;       // tile 0: one strong positive pixel, one weak negative
        v[1] = -1f;
        v[4 + 3] = -0.01f;   // tile 1: a single tiny negative pixel is still fully red on its own range
        BufferedImage img = Images.grid(List.of(new Images.Tile(v, 0, "λ=+2.00", Images.Style.DIVERGING),
                new Images.Tile(v, 4, "#1", Images.Style.DIVERGING)), 2, 2, 2, 3);
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(Images.png(img)));
        assertEquals(img.getWidth(), back.getWidth());
        int x0 = Images.GAP, y0 = Images.GAP, cell = 2 * 3 + Images.GAP;
        assertEquals(0x2166ac, back.getRGB(x0, y0) & 0xffffff, "+2 on the range ±2");
        assertEquals(Colormap.diverging(-1, 2), back.getRGB(x0 + 3, y0) & 0xffffff, "−1 on the range ±2");
        assertEquals(0xb2182b, back.getRGB(x0 + cell + 3, y0 + 3) & 0xffffff, "the tiny pixel on its own range");
        assertEquals(0xffffff, back.getRGB(x0 + cell, y0) & 0xffffff, "zero is white");
        boolean text = false;
        for (int y = y0 + 6; y < back.getHeight(); y++) {
            for (int x = x0; x < x0 + 6; x++) {
                text |= (back.getRGB(x, y) & 0xffffff) == Images.TEXT;
            }
        }
        assertTrue(text, "the caption is drawn under the tile");
    }

    @Test
    void compactNumbersForCaptions() {
        assertEquals("+12.3", Images.compact(12.34));
        assertEquals("-.136", Images.compact(-0.1364));
        assertEquals("+1.50", Images.compact(1.5));
        assertEquals("+235", Images.compact(234.6));
        assertEquals("+1.2e4", Images.compact(12345));
        assertEquals("-4.0e-5", Images.compact(-4e-5));
        assertEquals("+0", Images.compact(0));
    }

    @Test
    void chartsHaveRoundTicksEscapedTextAndEveryPoint() {
        assertEquals(List.of(0.0, 0.2, 0.4, 0.6, 0.8, 1.0), Chart.ticks(0, 1));
        assertEquals(List.of(-0.2, -0.15, -0.1, -0.05, 0.0, 0.05, 0.1, 0.15, 0.2), Chart.ticks(-0.23, 0.23));
        assertEquals(List.of(0.0, 50.0, 100.0, 150.0, 200.0, 250.0), Chart.ticks(-3, 256));
        String svg = new Chart("a < b & c", "x", "y").add(new Chart.Series("s", "#000", new double[] {1, 2, 3}, new double[] {3, 1, 2}, true, false))
                .reference(2.5, "ref", "#333").svg(400, 300);
        assertTrue(svg.contains("a &lt; b &amp; c"), "escaped title");
        assertEquals(3, svg.split("<circle").length - 1, "one marker per point");
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assertThrows(IllegalArgumentException.class, () -> new Chart("t", "x", "y").add(new Chart.Series("s", "#000", new double[2], new double[3], false, false)));
    }

    @Test
    void csvQuotesOnlyWhatNeedsIt() {
        String csv = new Csv("name", "value").row("T-shirt/top", 0.5).row("a,b", 3.0).row("say \"hi\"", 1e-7).toString();
        assertEquals("name,value\nT-shirt/top,0.5\n\"a,b\",3\n\"say \"\"hi\"\"\",1.0E-7\n", csv);
        assertThrows(IllegalArgumentException.class, () -> new Csv("a", "b").row(1));
    }

    @Test
    void anOutputFolderIsAllOrNothing() throws IOException {
        Path target = dir.resolve("report");
        try (OutputFolder f = OutputFolder.open(target, false)) {
            f.write("index.html", "<p>one</p>");
            f.write("data/x.csv", "a\n1\n");
            assertFalse(Files.exists(target), "nothing visible before the commit");
            f.commit();
        }
        assertEquals("<p>one</p>", Files.readString(target.resolve("index.html")));
        BadInputException exists = assertThrows(BadInputException.class, () -> OutputFolder.open(target, false));
        assertTrue(exists.getMessage().contains("already exists; pass --force"), exists.getMessage());
        try (OutputFolder f = OutputFolder.open(target, true)) {
            f.write("index.html", "<p>two</p>");
            // work fails here: no commit
        }
        assertEquals("<p>one</p>", Files.readString(target.resolve("index.html")), "a failed run leaves the old folder as it was");
        try (OutputFolder f = OutputFolder.open(target, true)) {
            f.write("index.html", "<p>three</p>");
            f.commit();
        }
        assertEquals("<p>three</p>", Files.readString(target.resolve("index.html")));
        assertFalse(Files.exists(target.resolve("data/x.csv")), "replaced, not merged");
        try (var s = Files.list(dir)) {
            assertArrayEquals(new Object[] {target}, s.toArray(), "no temporary or old folder left");
        }
        Files.writeString(dir.resolve("file"), "x");
        assertTrue(assertThrows(BadInputException.class, () -> OutputFolder.check(dir.resolve("file"), true)).getMessage()
                .contains("a file of that name exists"));
    }
}
