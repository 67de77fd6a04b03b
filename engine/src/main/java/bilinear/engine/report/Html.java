package bilinear.engine.report;

import java.util.List;
import java.util.Locale;

/** Small helpers for writing the report's HTML by hand: escaping, tables, number formats. */
public final class Html {
    private Html() {
    }

    public static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A table; cells are HTML already (escape text before passing it). */
    public static String table(List<String> header, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder("<table>\n<tr>");
        for (String h : header) {
            sb.append("<th>").append(h).append("</th>");
        }
        sb.append("</tr>\n");
        for (List<String> row : rows) {
            sb.append("<tr>");
            for (String cell : row) {
                sb.append("<td>").append(cell).append("</td>");
            }
            sb.append("</tr>\n");
        }
        return sb.append("</table>\n").toString();
    }

    /** A table cell coloured with the diverging map on {@code ±limit}, showing the value. */
    public static String heatCell(double v, double limit) {
        int rgb = Colormap.diverging(v, limit);
        String text = Math.abs(v) / Math.max(limit, 1e-300) > 0.6 ? "#fff" : "#222";
        return String.format(Locale.ROOT, "<span class=\"heat\" style=\"background:#%06x;color:%s\">%s</span>", rgb, text, f3(v));
    }

    public static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    public static String f4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    public static String pct(double v) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    public static String sci(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
