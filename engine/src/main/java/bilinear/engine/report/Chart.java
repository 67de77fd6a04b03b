package bilinear.engine.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart as a standalone SVG document: axes with round-number ticks, one polyline per
 * series (optionally with markers or dashed), horizontal reference lines, a legend. Text is
 * SVG text, so the browser renders it with its own fonts; nothing is fetched.
 */
public final class Chart {
    /** Tableau's ten categorical colours. */
    public static final String[] PALETTE = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
                                            "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};

    public record Series(String name, String color, double[] x, double[] y, boolean markers, boolean dashed) {
    }

    private record Reference(double y, String label, String color) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<Reference> references = new ArrayList<>();
    private Double yMin;
    private Double yMax;

    public Chart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public Chart add(Series s) {
        if (s.x().length != s.y().length) {
            throw new IllegalArgumentException("series " + s.name() + ": " + s.x().length + " x values, " + s.y().length + " y values");
        }
        series.add(s);
        return this;
    }

    public Chart reference(double y, String label, String color) {
        references.add(new Reference(y, label, color));
        return this;
    }

    /** Fixes the y range instead of fitting it to the data. */
    public Chart yRange(double min, double max) {
        yMin = min;
        yMax = max;
        return this;
    }

    public String svg(int width, int height) {
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                x0 = Math.min(x0, s.x()[i]);
                x1 = Math.max(x1, s.x()[i]);
                y0 = Math.min(y0, s.y()[i]);
                y1 = Math.max(y1, s.y()[i]);
            }
        }
        for (Reference r : references) {
            y0 = Math.min(y0, r.y());
            y1 = Math.max(y1, r.y());
        }
        if (yMin != null) {
            y0 = yMin;
            y1 = yMax;
        }
        if (!(x1 > x0)) {
            x1 = x0 + 1;
        }
        if (!(y1 > y0)) {
            y1 = y0 + 1;
        }
        double pad = 0.04 * (y1 - y0);
        if (yMin == null) {
            y0 -= pad;
            y1 += pad;
        }
        int longest = series.stream().mapToInt(s -> s.name().length()).max().orElse(0);
        int left = 70, right = 20 + (series.size() > 1 ? 50 + (int) (6.8 * longest) : 0), top = 36, bottom = 50;
        Frame f = new Frame(left, top, width - left - right, height - top - bottom, x0, x1, y0, y1);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width, height));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>%n", left, Html.escape(title)));
        for (double t : ticks(y0, y1)) {
            double py = f.py(t);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e6e6e6\"/>%n", left, left + f.w, py, py));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" dominant-baseline=\"middle\">%s</text>%n",
                    left - 6, py, label(t)));
        }
        for (double t : ticks(x0, x1)) {
            double px = f.px(t);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#999\"/>%n", px, px, top + f.h, top + f.h + 5));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", px, top + f.h + 18, label(t)));
        }
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n", left, top, f.w, f.h));
        sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", left + f.w / 2.0, height - 10, Html.escape(xLabel)));
        sb.append(String.format(Locale.ROOT, "<text transform=\"translate(16 %.1f) rotate(-90)\" text-anchor=\"middle\">%s</text>%n",
                top + f.h / 2.0, Html.escape(yLabel)));
        for (Reference r : references) {
            double py = f.py(r.y());
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-dasharray=\"6 4\"/>%n",
                    left, left + f.w, py, py, r.color()));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"%s\">%s</text>%n",
                    left + f.w - 4, py - 5, r.color(), Html.escape(r.label())));
        }
        sb.append(String.format(Locale.ROOT, "<clipPath id=\"plot\"><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/></clipPath>%n", left, top, f.w, f.h));
        for (Series s : series) {
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < s.x().length; i++) {
                pts.append(String.format(Locale.ROOT, "%s%.1f,%.1f", i == 0 ? "" : " ", f.px(s.x()[i]), f.py(s.y()[i])));
            }
            sb.append(String.format(Locale.ROOT, "<polyline clip-path=\"url(#plot)\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"%s\"/>%n",
                    s.color(), s.dashed() ? " stroke-dasharray=\"5 3\"" : "", pts));
            if (s.markers()) {
                for (int i = 0; i < s.x().length; i++) {
                    sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>%n", f.px(s.x()[i]), f.py(s.y()[i]), s.color()));
                }
            }
        }
        if (series.size() > 1) {
            int lx = left + f.w + 14;
            for (int i = 0; i < series.size(); i++) {
                Series s = series.get(i);
                int ly = top + 8 + i * 18;
                sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"%s/>%n",
                        lx, lx + 18, ly, ly, s.color(), s.dashed() ? " stroke-dasharray=\"5 3\"" : ""));
                sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" dominant-baseline=\"middle\">%s</text>%n", lx + 24, ly, Html.escape(s.name())));
            }
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private record Frame(int left, int top, int w, int h, double x0, double x1, double y0, double y1) {
        double px(double x) {
            return left + (x - x0) / (x1 - x0) * w;
        }

        double py(double y) {
            return top + h - (y - y0) / (y1 - y0) * h;
        }
    }

    /** Round-number ticks (steps of 1, 2 or 5 × 10ⁿ) inside {@code [lo, hi]}, about five of them. */
    static List<Double> ticks(double lo, double hi) {
        double raw = (hi - lo) / 5;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / mag >= 5 ? 5 * mag : raw / mag >= 2 ? 2 * mag : mag;
        List<Double> out = new ArrayList<>();
        for (long k = (long) Math.ceil(lo / step); k * step <= hi + 1e-9 * step; k++) {
            out.add(k == 0 ? 0 : Double.parseDouble(String.format(Locale.ROOT, "%.12g", k * step)));   // 0.6, not 0.6000000000000001
        }
        return out;
    }

    private static String label(double t) {
        if (t == Math.rint(t) && Math.abs(t) < 1e6) {
            return String.format(Locale.ROOT, "%d", (long) t);
        }
        String s = String.format(Locale.ROOT, "%.4g", t);
        return s.contains("e") ? s : s.replaceFirst("0+$", "").replaceFirst("\\.$", "");
    }
}
