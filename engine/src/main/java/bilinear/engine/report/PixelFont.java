package bilinear.engine.report;

import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.Map;

/**
 * A 5×7 bitmap font for the captions inside pictures (eigenvalues, ranks). Drawing text with Java2D
 * needs system fonts and fontconfig, which a bare server may not have; these few glyphs need
 * nothing. Unknown characters draw as blanks.
 */
final class PixelFont {
    private PixelFont() {
    }

    static final int WIDTH = 5, HEIGHT = 7;

    private static final Map<Character, String[]> GLYPHS = new HashMap<>();

    private static void glyph(char c, String... rows) {
        GLYPHS.put(c, rows);
    }

    static {
        glyph('0', ".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###.");
        glyph('1', "..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###.");
        glyph('2', ".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####");
        glyph('3', "#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###.");
        glyph('4', "...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#.");
        glyph('5', "#####", "#....", "####.", "....#", "....#", "#...#", ".###.");
        glyph('6', "..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###.");
        glyph('7', "#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#...");
        glyph('8', ".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###.");
        glyph('9', ".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##..");
        glyph('+', ".....", "..#..", "..#..", "#####", "..#..", "..#..", ".....");
        glyph('-', ".....", ".....", ".....", "#####", ".....", ".....", ".....");
        glyph('.', ".....", ".....", ".....", ".....", ".....", ".##..", ".##..");
        glyph('e', ".....", ".....", ".###.", "#...#", "#####", "#....", ".###.");
        glyph('=', ".....", ".....", "#####", ".....", "#####", ".....", ".....");
        glyph('λ', ".#...", "..#..", "..#..", ".#.#.", ".#.#.", "#...#", "#...#");
        glyph('#', ".#.#.", ".#.#.", "#####", ".#.#.", "#####", ".#.#.", ".#.#.");
        glyph('k', "#....", "#....", "#..#.", "#.#..", "##...", "#.#..", "#..#.");
        glyph('c', ".....", ".....", ".###.", "#....", "#....", "#...#", ".###.");
        glyph('%', "##...", "##..#", "...#.", "..#..", ".#...", "#..##", "...##");
    }

    /** Width in pixels of {@code text} at {@code scale} (one blank column between glyphs). */
    static int width(String text, int scale) {
        return text.isEmpty() ? 0 : (text.length() * (WIDTH + 1) - 1) * scale;
    }

    /** Draws {@code text} with its top-left corner at {@code (x, y)}. */
    static void draw(BufferedImage img, String text, int x, int y, int scale, int rgb) {
        for (int c = 0; c < text.length(); c++) {
            String[] rows = GLYPHS.get(text.charAt(c));
            int gx = x + c * (WIDTH + 1) * scale;
            if (rows == null) {
                continue;
            }
            for (int r = 0; r < HEIGHT; r++) {
                for (int col = 0; col < WIDTH; col++) {
                    if (rows[r].charAt(col) == '#') {
                        fill(img, gx + col * scale, y + r * scale, scale, rgb);
                    }
                }
            }
        }
    }

    private static void fill(BufferedImage img, int x, int y, int size, int rgb) {
        for (int dy = 0; dy < size; dy++) {
            for (int dx = 0; dx < size; dx++) {
                int px = x + dx, py = y + dy;
                if (px >= 0 && py >= 0 && px < img.getWidth() && py < img.getHeight()) {
                    img.setRGB(px, py, rgb);
                }
            }
        }
    }
}
