package bilinear.engine.report;

/**
 * Colours for pictures of weights. The diverging map of the papers' figures: white at zero, blue
 * for positive values, red for negative ones, linear in between, over a symmetric range
 * {@code [−limit, +limit]} so that equal magnitudes get equal saturation whatever their sign.
 * Endpoints are ColorBrewer's RdBu extremes ({@code #2166ac}, {@code #b2182b}).
 */
public final class Colormap {
    private Colormap() {
    }

    private static final int[] BLUE = {0x21, 0x66, 0xac};
    private static final int[] RED = {0xb2, 0x18, 0x2b};

    /** RGB ({@code 0xRRGGBB}) of {@code value} on the symmetric range {@code ±limit} (values beyond it saturate). */
    public static int diverging(double value, double limit) {
        double t = limit > 0 ? Math.max(-1, Math.min(1, value / limit)) : 0;
        if (!Double.isFinite(t)) {
            t = 0;
        }
        int[] end = t >= 0 ? BLUE : RED;
        double a = Math.abs(t);
        int r = (int) Math.round(255 + a * (end[0] - 255));
        int g = (int) Math.round(255 + a * (end[1] - 255));
        int b = (int) Math.round(255 + a * (end[2] - 255));
        return (r << 16) | (g << 8) | b;
    }

    /** Grey level of a pixel intensity in [0, 1]: black background, white strokes (how MNIST is drawn). */
    public static int grey(double value) {
        int v = (int) Math.round(255 * Math.max(0, Math.min(1, value)));
        return (v << 16) | (v << 8) | v;
    }

    /** The largest |x| of {@code v[from, from + n)}: the symmetric range of one picture. */
    public static double symmetricLimit(float[] v, int from, int n) {
        double m = 0;
        for (int i = from; i < from + n; i++) {
            m = Math.max(m, Math.abs(v[i]));
        }
        return m;
    }
}
