package bilinear.engine.report;

import java.util.List;

/** Comma-separated values with a header row; numbers in full precision, text quoted when it needs it. */
public final class Csv {
    private final StringBuilder sb = new StringBuilder();
    private final int columns;

    public Csv(String... header) {
        columns = header.length;
        row((Object[]) header);
    }

    public Csv(List<String> header) {
        this(header.toArray(String[]::new));
    }

    public Csv row(Object... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException(cells.length + " cells for " + columns + " columns");
        }
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(cell(cells[i]));
        }
        sb.append('\n');
        return this;
    }

    private static String cell(Object o) {
        if (o instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : Double.toString(d);
        }
        if (o instanceof Float f) {
            return Float.toString(f);
        }
        String s = String.valueOf(o);
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
