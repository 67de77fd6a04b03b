package bilinear.engine.report;

import bilinear.engine.decomp.Decomposer;
import bilinear.engine.decomp.Decomposition;
import bilinear.engine.decomp.SpectrumStats;
import bilinear.engine.decomp.Truncation;
import bilinear.engine.report.Images.Tile;
import bilinear.linalg.Tensor;
import bilinear.linalg.eigen.EigenOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The figures shared by the {@code decompose} command and the report: each returns the picture
 * (PNG bytes or SVG text) together with the CSV of the numbers it shows.
 */
public final class Figures {
    private Figures() {
    }

    /** A figure and its data. */
    public record Figure(byte[] png, String svg, String csv) {
    }

    public static final int SCALE = 4;

    /**
     * The eigenvectors of one first-block decomposition in pixel space: the {@code perSign}
     * largest positive eigenvalues on the first row, the {@code perSign} most negative on the
     * second, each captioned with its eigenvalue. The CSV holds every pixel of every tile.
     */
    public static Figure eigenvectorGrid(Decomposer dec, Decomposition d, int perSign, int height, int width) {
        int[] pos = d.topPositive(perSign), neg = d.topNegative(perSign);
        int[] shown = new int[pos.length + neg.length];
        System.arraycopy(pos, 0, shown, 0, pos.length);
        System.arraycopy(neg, 0, shown, pos.length, neg.length);
        Tensor pix = dec.pixelVectors(d, shown);
        int pixels = height * width;
        float[] blank = new float[pixels];
        List<Images.Tile> tiles = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("row", "index", "eigenvalue", "constant"));
        for (int p = 0; p < pixels; p++) {
            header.add("p" + p);
        }
        Csv csv = new Csv(header);
        for (int row = 0; row < 2; row++) {
            int[] idx = row == 0 ? pos : neg;
            for (int j = 0; j < perSign; j++) {
                if (j >= idx.length) {
                    tiles.add(new Images.Tile(blank, 0, "", Images.Style.DIVERGING));
                    continue;
                }
                int r = row == 0 ? j : pos.length + j;
                double lambda = d.value(idx[j]);
                tiles.add(new Images.Tile(pix.data(), r * pixels, "λ=" + Images.compact(lambda), Images.Style.DIVERGING));
                Object[] cells = new Object[4 + pixels];
                cells[0] = row == 0 ? "positive" : "negative";
                cells[1] = idx[j];
                cells[2] = lambda;
                cells[3] = d.augmented() ? d.vector(idx[j])[d.hidden()] : 0.0;
                for (int p = 0; p < pixels; p++) {
                    cells[4 + p] = pix.data()[r * pixels + p];
                }
                csv.row(cells);
            }
        }
        return new Figure(Images.png(Images.grid(tiles, perSign, height, width, SCALE)), null, csv.toString());
    }

    /**
     * The overview: for every class (columns), the eigenvector of its largest positive eigenvalue
     * (top row) and of its most negative one (bottom row), in pixel space.
     */
    public static Figure topEigenvectors(Decomposer dec, List<Decomposition> classes, int height, int width) {
        int pixels = height * width, o = classes.size();
        float[] blank = new float[pixels];
        Tile[] tiles = new Tile[2 * o];
        List<String> header = new ArrayList<>(List.of("class", "sign", "index", "eigenvalue"));
        for (int p = 0; p < pixels; p++) {
            header.add("p" + p);
        }
        Csv csv = new Csv(header);
        for (int c = 0; c < o; c++) {
            Decomposition d = classes.get(c);
            int[][] sides = {d.topPositive(1), d.topNegative(1)};
            for (int row = 0; row < 2; row++) {
                if (sides[row].length == 0) {
                    tiles[row * o + c] = new Tile(blank, 0, "", Images.Style.DIVERGING);
                    continue;
                }
                int i = sides[row][0];
                Tensor pix = dec.pixelVectors(d, new int[] {i});
                tiles[row * o + c] = new Tile(pix.data(), 0, "λ=" + Images.compact(d.value(i)), Images.Style.DIVERGING);
                Object[] cells = new Object[4 + pixels];
                cells[0] = c;
                cells[1] = row == 0 ? "positive" : "negative";
                cells[2] = i;
                cells[3] = d.value(i);
                for (int p = 0; p < pixels; p++) {
                    cells[4 + p] = pix.data()[p];
                }
                csv.row(cells);
            }
        }
        return new Figure(Images.png(Images.grid(List.of(tiles), o, height, width, SCALE)), null, csv.toString());
    }

    /** Every class's eigenvalues sorted by value, one line per class; the CSV lists them by |λ|. */
    public static Figure spectra(List<Decomposition> classes, List<String> names) {
        Chart chart = new Chart("Eigenvalue spectra", "rank (eigenvalues sorted from most positive to most negative)", "eigenvalue λ");
        Csv csv = new Csv("direction", "name", "index", "eigenvalue");
        for (int c = 0; c < classes.size(); c++) {
            Decomposition d = classes.get(c);
            int[] order = d.order(EigenOrder.DESCENDING);
            double[] x = new double[order.length], y = new double[order.length];
            for (int i = 0; i < order.length; i++) {
                x[i] = i + 1;
                y[i] = d.value(order[i]);
            }
            chart.add(new Chart.Series(names.get(c), Chart.PALETTE[c % Chart.PALETTE.length], x, y, false, false));
            for (int i = 0; i < d.size(); i++) {
                csv.row(d.name(), names.get(c), i, d.value(i));
            }
        }
        return new Figure(null, chart.svg(900, 420), csv.toString());
    }

    /** Accuracy against k for every rule, with the full model as a reference line. */
    public static Figure truncation(Truncation.Result r) {
        Chart chart = new Chart("Test accuracy with the top-k eigenvectors per class", "k (eigenvectors per class; per sign for the signed rule)",
                "test accuracy");
        Csv csv = new Csv("rule", "k", "accuracy");
        int colour = 0;
        for (Truncation.Curve c : r.curves()) {
            double[] x = Arrays.stream(c.ks()).asDoubleStream().toArray();
            chart.add(new Chart.Series(c.rule().description, Chart.PALETTE[colour++], x, c.accuracy(), true, false));
            for (int j = 0; j < c.ks().length; j++) {
                csv.row(c.rule().id, c.ks()[j], c.accuracy()[j]);
            }
        }
        csv.row("full-model", 0, r.fullAccuracy());
        chart.reference(r.fullAccuracy(), String.format(java.util.Locale.ROOT, "full model %.2f%%", 100 * r.fullAccuracy()), "#333");
        return new Figure(null, chart.svg(900, 420), csv.toString());
    }

    /** Rows of pixel vectors {@code [K, D]} as a grid of diverging tiles with the given captions. */
    public static Figure vectorGrid(Tensor rows, List<String> captions, int columns, int height, int width) {
        int pixels = height * width;
        List<Images.Tile> tiles = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("caption"));
        for (int p = 0; p < pixels; p++) {
            header.add("p" + p);
        }
        Csv csv = new Csv(header);
        for (int r = 0; r < rows.rows(); r++) {
            tiles.add(new Images.Tile(rows.data(), r * pixels, captions.get(r), Images.Style.DIVERGING));
            Object[] cells = new Object[1 + pixels];
            cells[0] = captions.get(r);
            for (int p = 0; p < pixels; p++) {
                cells[1 + p] = rows.data()[r * pixels + p];
            }
            csv.row(cells);
        }
        return new Figure(Images.png(Images.grid(tiles, columns, height, width, SCALE)), null, csv.toString());
    }

    /** Effective rank and the sparsity of the top eigenvectors of each class, as CSV rows. */
    public static double[] sparsity(Decomposer dec, Decomposition d, int count) {
        int n = Math.min(count, d.size()), pixels = dec.config().inputDim();
        Tensor pix = dec.pixelVectors(d, n);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = SpectrumStats.participation(pix.data(), i * pixels, pixels);
        }
        return out;
    }
}
