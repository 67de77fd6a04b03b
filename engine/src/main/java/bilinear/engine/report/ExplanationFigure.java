package bilinear.engine.report;

import bilinear.engine.data.ImageDataset;
import bilinear.engine.decomp.Decomposer;
import bilinear.engine.decomp.Decomposition;
import bilinear.engine.decomp.Explanation;
import bilinear.linalg.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The picture of one explanation: the input (grey) and, for each of its top classes, one row with
 * the eigenvectors behind the largest positive activations and then the most negative ones, each
 * captioned with its activation {@code λ(v·x)²}. The CSV lists every term shown.
 */
final class ExplanationFigure {
    private ExplanationFigure() {
    }

    static final int TERMS = 3;

    static Figures.Figure draw(Decomposer dec, List<Decomposition> classes, ImageDataset test, Report.Example e, int h, int w) {
        int pixels = h * w;
        float[] blank = new float[pixels];
        List<Images.Tile> tiles = new ArrayList<>();
        Csv csv = new Csv("class", "logit", "kind", "index", "eigenvalue", "projection", "activation", "rest");
        boolean first = true;
        for (Explanation.ClassExplanation c : e.explanation().classes()) {
            tiles.add(first ? new Images.Tile(test.image(e.index()), 0, "#" + e.index(), Images.Style.GREY)
                    : new Images.Tile(blank, 0, "", Images.Style.DIVERGING));
            first = false;
            for (List<Explanation.Term> terms : List.of(c.positive(), c.negative())) {
                int[] idx = terms.stream().limit(TERMS).mapToInt(Explanation.Term::index).toArray();
                Tensor pix = dec.pixelVectors(classes.get(c.cls()), idx);
                for (int j = 0; j < TERMS; j++) {
                    if (j < idx.length) {
                        Explanation.Term t = terms.get(j);
                        tiles.add(new Images.Tile(pix.data(), j * pixels, Images.compact(t.activation()), Images.Style.DIVERGING));
                        csv.row(c.cls(), c.logit(), t.activation() > 0 ? "positive" : "negative", t.index(), t.eigenvalue(),
                                t.projection(), t.activation(), c.rest());
                    } else {
                        tiles.add(new Images.Tile(blank, 0, "", Images.Style.DIVERGING));
                    }
                }
            }
        }
        return new Figures.Figure(Images.png(Images.grid(tiles, 1 + 2 * TERMS, h, w, Figures.SCALE)), null, csv.toString());
    }
}
