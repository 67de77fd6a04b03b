package bilinear.engine.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Pictures of vectors as images: grids of tiles, each a {@code height × width} vector drawn pixel
 * by pixel (nearest-neighbour, scaled up), with a caption under it in {@link PixelFont}. Weights
 * (eigenvectors, masks, linear terms) use the diverging {@link Colormap} on their own symmetric
 * range; inputs use grey levels. Encoded as PNG by {@code javax.imageio}, which works headless.
 */
public final class Images {
    private Images() {
    }

    /** How a tile's values become colours. */
    public enum Style { DIVERGING, GREY }

    /**
     * One picture: {@code values[offset, offset + height·width)} row-major, and its caption
     * (characters outside {@link PixelFont}'s set draw as blanks; keep to digits, {@code +-.=eλ#kc%}).
     */
    public record Tile(float[] values, int offset, String caption, Style style) {
    }

    static final int GAP = 8, FONT_SCALE = 2, FRAME = 0xd0d0d0, TEXT = 0x202020;

    /** A grid of tiles, {@code columns} per row, each pixel drawn as a {@code scale × scale} block. */
    public static BufferedImage grid(List<Tile> tiles, int columns, int height, int width, int scale) {
        if (tiles.isEmpty() || columns < 1) {
            throw new IllegalArgumentException("a grid needs tiles and at least one column");
        }
        int rows = (tiles.size() + columns - 1) / columns;
        int tileW = width * scale, tileH = height * scale;
        int captionH = PixelFont.HEIGHT * FONT_SCALE + 6;
        int cellW = tileW + GAP, cellH = tileH + captionH + GAP;
        BufferedImage img = new BufferedImage(GAP + columns * cellW, GAP + rows * cellH, BufferedImage.TYPE_INT_RGB);
        fillRect(img, 0, 0, img.getWidth(), img.getHeight(), 0xffffff);
        for (int t = 0; t < tiles.size(); t++) {
            Tile tile = tiles.get(t);
            int x0 = GAP + (t % columns) * cellW, y0 = GAP + (t / columns) * cellH;
            fillRect(img, x0 - 1, y0 - 1, tileW + 2, tileH + 2, FRAME);
            double limit = Colormap.symmetricLimit(tile.values(), tile.offset(), height * width);
            for (int r = 0; r < height; r++) {
                for (int c = 0; c < width; c++) {
                    double v = tile.values()[tile.offset() + r * width + c];
                    int rgb = tile.style() == Style.GREY ? Colormap.grey(v) : Colormap.diverging(v, limit);
                    fillRect(img, x0 + c * scale, y0 + r * scale, scale, scale, rgb);
                }
            }
            String caption = tile.caption();
            int scaleText = PixelFont.width(caption, FONT_SCALE) <= tileW + GAP ? FONT_SCALE : 1;
            int tw = PixelFont.width(caption, scaleText);
            PixelFont.draw(img, caption, x0 + (tileW - tw) / 2, y0 + tileH + 4, scaleText, TEXT);
        }
        return img;
    }

    /** PNG bytes of an image. */
    public static byte[] png(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "png", out)) {
                throw new IllegalStateException("no PNG writer in this JDK (javax.imageio)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A short signed number for captions: 3 significant digits, an exponent only when needed. */
    public static String compact(double v) {
        double a = Math.abs(v);
        String sign = v < 0 ? "-" : "+";
        String body;
        if (a == 0) {
            body = "0";
        } else if (a >= 1000 || a < 0.001) {
            body = String.format(Locale.ROOT, "%.1e", a).replace("e+0", "e").replace("e-0", "e-").replace("e+", "e");
        } else if (a >= 100) {
            body = String.format(Locale.ROOT, "%.0f", a);
        } else if (a >= 10) {
            body = String.format(Locale.ROOT, "%.1f", a);
        } else if (a >= 1) {
            body = String.format(Locale.ROOT, "%.2f", a);
        } else {
            body = String.format(Locale.ROOT, "%.3f", a).replaceFirst("^0", "");
        }
        return sign + body;
    }

    private static void fillRect(BufferedImage img, int x, int y, int w, int h, int rgb) {
        for (int py = Math.max(0, y); py < Math.min(img.getHeight(), y + h); py++) {
            for (int px = Math.max(0, x); px < Math.min(img.getWidth(), x + w); px++) {
                img.setRGB(px, py, rgb);
            }
        }
    }
}
