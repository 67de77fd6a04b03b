package bilinear.engine.report;

import static bilinear.engine.report.Html.escape;
import static bilinear.engine.report.Html.f3;
import static bilinear.engine.report.Html.pct;
import static bilinear.engine.report.Html.sci;

import bilinear.engine.decomp.AdversarialMasks;
import bilinear.engine.decomp.Consistency;
import bilinear.engine.decomp.Explanation;
import bilinear.engine.decomp.Hosvd;
import bilinear.engine.decomp.Truncation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's {@code index.html}: one static page, inline CSS, no script, no network; every
 * picture is a file in the same folder. Sections follow the papers: eigenvectors, spectra,
 * truncation, the linear term, explanations, HOSVD, adversarial masks, consistency, and the data.
 */
final class ReportPage {
    private ReportPage() {
    }

    private static final String STYLE = """
            body { font-family: sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
            h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ddd; padding-bottom: .2em; margin-top: 2em; }
            .meta { color: #555; } figure { margin: 1em 0; } figcaption { color: #555; font-size: .92em; }
            img { max-width: 100%; height: auto; } table { border-collapse: collapse; margin: .8em 0; font-size: .92em; }
            th, td { border: 1px solid #ddd; padding: .25em .6em; text-align: right; } th { background: #f4f4f4; }
            td:first-child, th:first-child { text-align: left; } .heat { display: inline-block; min-width: 4em; padding: 0 .3em; }
            .note { background: #fff8e1; border-left: 4px solid #f2c94c; padding: .4em .8em; }
            code { background: #f4f4f4; padding: 0 .2em; }
            """;

    static String html(Report.Results r) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<link rel=\"icon\" href=\"data:,\">\n");
        sb.append("<title>Decomposition of ").append(escape(r.modelLabel())).append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        sb.append("<h1>Weight-based decomposition of a ").append(escape(r.model())).append("</h1>\n");
        sb.append("<p class=\"meta\">checkpoint <code>").append(escape(r.modelLabel())).append("</code> · data ")
                .append(escape(r.dataset())).append(" · backend ").append(escape(r.backend())).append("</p>\n");
        summary(sb, r);
        eigenvectors(sb, r);
        spectra(sb, r);
        truncation(sb, r);
        if (r.augmented() && r.pixelSpace()) {
            sb.append("<h2 id=\"linear\">The linear term</h2>\n<p>The model has biases or a residual connection, so the input is "
                    + "augmented with a constant 1 and each class matrix gains a row and column: <code>h̃ᵀQh̃ = hᵀQ<sub>hh</sub>h + 2qᵀh + κ</code>. "
                    + "The linear term <code>2Eᵀq</code> of each class in pixel space, captioned with the constant κ (<code>c=</code>):</p>\n");
            figure(sb, "linear-terms.png", "linear term per class", "Classes 0–9, left to right and top to bottom.");
        }
        explanations(sb, r);
        hosvd(sb, r);
        adversarial(sb, r);
        consistency(sb, r);
        sb.append("<h2 id=\"data\">Data</h2>\n<p>Every figure's numbers, and <a href=\"report.json\">report.json</a> with all of them:</p>\n<ul>\n");
        for (String f : r.files()) {
            if (f.endsWith(".csv")) {
                sb.append("<li><a href=\"").append(escape(f)).append("\">").append(escape(f)).append("</a></li>\n");
            }
        }
        sb.append("</ul>\n</body>\n</html>\n");
        return sb.toString();
    }

    private static void summary(StringBuilder sb, Report.Results r) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("test accuracy (the model's forward pass)", pct(r.truncation().fullAccuracy())));
        rows.add(List.of("exactness: max |Σλ(v·x)² − logit| / max |logit| over " + r.exactness().samples() + " test images",
                sci(r.exactness().relative())));
        rows.add(List.of("eigenvectors per class", Integer.toString(r.eigenvectors()) + (r.augmented() ? " (hidden + the constant input)" : "")));
        rows.add(List.of("decomposition of all " + r.classes().size() + " classes (Q(u) and eigendecomposition)",
                String.format(Locale.ROOT, "%.3f s", r.decomposeSeconds())));
        Truncation.Curve mag = r.truncation().curve(Truncation.Rule.MAGNITUDE);
        for (int k : new int[] {10, 20}) {
            if (k <= mag.ks().length) {
                rows.add(List.of("test accuracy with the top " + k + " eigenvectors per class (by |λ|)", pct(mag.accuracy()[k - 1])));
            }
        }
        sb.append("<h2 id=\"summary\">Summary</h2>\n<p>Each logit of a bilinear classifier is a quadratic form of its input, "
                + "<code>y<sub>a</sub>(x) = xᵀQ<sub>a</sub>x = Σ<sub>i</sub> λ<sub>i</sub>(v<sub>i</sub>·x)²</code>, with "
                + "<code>Q(u) = sym(Wᵀ diag(Pᵀu) V)</code> read off the weights. Summing every term reproduces the model.</p>\n");
        sb.append(Html.table(List.of("", "value"), rows));
    }

    private static void eigenvectors(StringBuilder sb, Report.Results r) {
        sb.append("<h2 id=\"eigenvectors\">Eigenvectors per class</h2>\n");
        if (r.pixelSpace()) {
            sb.append("<p>For each class, the eigenvectors of the largest positive eigenvalues (top row: features that raise the logit) "
                    + "and of the most negative ones (bottom row: features that lower it), mapped to pixels as <code>Eᵀv</code>. "
                    + "Blue is positive, red negative, white zero, each picture on its own symmetric range; the caption is λ. "
                    + "An input activates an eigenvector by matching its blue lobes or its red lobes, not both.</p>\n");
            figure(sb, "eigenvectors/top.png", "top eigenvector of every class", "Every class at a glance, "
                    + escape(r.classNames().getFirst()) + " to " + escape(r.classNames().getLast())
                    + " from left to right: the eigenvector of the largest positive eigenvalue (top) and of the most negative one (bottom).");
            for (Report.ClassStats s : r.stats()) {
                figure(sb, "eigenvectors/class" + s.cls() + ".png", "eigenvectors of " + s.name(),
                        escape(s.name()) + " — effective rank " + f3(s.effectiveRank()) + ", " + s.positive() + " positive and "
                                + s.negative() + " negative eigenvalues");
            }
        } else {
            sb.append("<p>The last block's eigenvectors live in the previous block's output space, not in pixels. Each of the top two "
                    + "is read recursively as an output direction of the block below; the pictures show the pixel-space eigenvectors "
                    + "of those first-block decompositions (path 0: the top eigenvector, path 1: the second).</p>\n");
            for (String f : r.files()) {
                if (f.startsWith("eigenvectors/") && f.endsWith(".png")) {
                    figure(sb, f, f, escape(f.substring("eigenvectors/".length(), f.length() - 4)));
                }
            }
        }
    }

    private static void spectra(StringBuilder sb, Report.Results r) {
        sb.append("<h2 id=\"spectra\">Spectra</h2>\n<p>A few eigenvalues per class stand out on each side; the rest are near zero. "
                + "Effective rank <code>(‖λ‖₁/‖λ‖₂)²</code> counts how many equal eigenvalues would carry the same mass");
        sb.append(r.pixelSpace() ? "; sparsity <code>(‖v‖₁/‖v‖₂)²</code> is the effective number of pixels of the top eigenvectors in pixel space.</p>\n" : ".</p>\n");
        figure(sb, "spectrum.svg", "eigenvalue spectra", "Eigenvalues of every class, most positive first.");
        List<List<String>> rows = new ArrayList<>();
        for (Report.ClassStats s : r.stats()) {
            List<String> row = new ArrayList<>(List.of(escape(s.name()), f3(s.effectiveRank()), Integer.toString(s.positive()),
                    Integer.toString(s.negative()), sci(s.topPositive()), sci(s.topNegative())));
            if (r.pixelSpace()) {
                row.add(s.topSparsity().length > 0 ? String.format(Locale.ROOT, "%.1f", s.topSparsity()[0]) : "");
                row.add(String.format(Locale.ROOT, "%.1f", java.util.Arrays.stream(s.topSparsity()).average().orElse(0)));
            }
            rows.add(row);
        }
        List<String> header = new ArrayList<>(List.of("class", "effective rank", "λ &gt; 0", "λ &lt; 0", "largest λ", "most negative λ"));
        if (r.pixelSpace()) {
            header.add("sparsity of v₁");
            header.add("mean sparsity, top " + r.stats().getFirst().topSparsity().length);
        }
        sb.append(Html.table(header, rows));
    }

    private static void truncation(StringBuilder sb, Report.Results r) {
        Truncation.Result t = r.truncation();
        sb.append("<h2 id=\"truncation\">Truncation</h2>\n<p>Keep only k eigenvectors per class and classify with the truncated sum. "
                + "Rules: the k largest |λ|; the k largest mean activations <code>|λ|·E[(v·x)²]</code> over the training set; "
                + "the k largest positive plus the k most negative (2k vectors). Test accuracy on ")
                .append(t.samples()).append(" images:</p>\n");
        figure(sb, "truncation.svg", "accuracy versus k", "The dashed line is the full model.");
        List<List<String>> rows = new ArrayList<>();
        int max = t.curves().getFirst().ks().length;
        for (int k : new int[] {1, 2, 3, 5, 10, 15, 20, 25, 30}) {
            if (k > max) {
                continue;
            }
            List<String> row = new ArrayList<>(List.of(Integer.toString(k)));
            for (Truncation.Curve c : t.curves()) {
                row.add(pct(c.accuracy()[k - 1]));
            }
            rows.add(row);
        }
        List<String> header = new ArrayList<>(List.of("k"));
        t.curves().forEach(c -> header.add(escape(c.rule().description)));
        sb.append(Html.table(header, rows));
    }

    private static void explanations(StringBuilder sb, Report.Results r) {
        sb.append("<h2 id=\"explanations\">Explanations</h2>\n<p>Why the model classified a test image as it did: for its two largest "
                + "logits, the eigenvectors with the largest positive activations <code>λ(v·x)²</code> (left three) and the most "
                + "negative ones (right three), captioned with the activation. The terms not shown add up to <em>rest</em>.</p>\n");
        for (int e = 0; e < r.examples().size(); e++) {
            Report.Example ex = r.examples().get(e);
            Explanation.Result res = ex.explanation();
            String verdict = res.predicted() == ex.label() ? "correct" : "misclassified";
            if (r.pixelSpace()) {
                figure(sb, "explanations/example" + e + ".png", "explanation of test image " + ex.index(),
                        "Test image " + ex.index() + ": label " + escape(r.classNames().get(ex.label())) + ", predicted "
                                + escape(r.classNames().get(res.predicted())) + " (" + verdict + ").");
            } else {
                sb.append("<p>Test image ").append(ex.index()).append(": label ").append(escape(r.classNames().get(ex.label())))
                        .append(", predicted ").append(escape(r.classNames().get(res.predicted()))).append(".</p>\n");
            }
            List<List<String>> rows = new ArrayList<>();
            for (Explanation.ClassExplanation c : res.classes()) {
                rows.add(List.of(escape(r.classNames().get(c.cls())), f3(c.logit()), terms(c.positive()), terms(c.negative()), f3(c.rest())));
            }
            sb.append(Html.table(List.of("class", "logit", "largest positive activations", "most negative activations", "rest"), rows));
        }
    }

    private static String terms(List<Explanation.Term> terms) {
        List<String> parts = new ArrayList<>();
        for (Explanation.Term t : terms) {
            parts.add(String.format(Locale.ROOT, "%+.3f (v<sub>%d</sub>)", t.activation(), t.index()));
        }
        return String.join(", ", parts);
    }

    private static void hosvd(StringBuilder sb, Report.Results r) {
        Hosvd.Result h = r.hosvd();
        sb.append("<h2 id=\"hosvd\">Tensor decomposition (HOSVD)</h2>\n<p>The class tensor flattened to classes × inputs², "
                + "decomposed by SVD: the singular values, how much each class uses each component (left singular vectors), and the "
                + "eigenvectors of the leading components (each right singular vector is a symmetric matrix).</p>\n");
        figure(sb, "hosvd.svg", "HOSVD singular values", "Singular values of the flattened class tensor.");
        double limit = 0;
        for (Hosvd.Component c : h.components()) {
            for (double v : c.classWeights()) {
                limit = Math.max(limit, Math.abs(v));
            }
        }
        List<List<String>> rows = new ArrayList<>();
        for (int a = 0; a < r.classNames().size(); a++) {
            List<String> row = new ArrayList<>(List.of(escape(r.classNames().get(a))));
            for (Hosvd.Component c : h.components()) {
                row.add(Html.heatCell(c.classWeights()[a], limit));
            }
            rows.add(row);
        }
        List<String> header = new ArrayList<>(List.of("class"));
        for (Hosvd.Component c : h.components()) {
            header.add("component " + c.index() + " (σ = " + sci(c.singularValue()) + ")");
        }
        sb.append(Html.table(header, rows));
        if (r.pixelSpace()) {
            for (Hosvd.Component c : h.components()) {
                figure(sb, "hosvd/component" + c.index() + ".png", "HOSVD component " + c.index(),
                        "Component " + c.index() + ": top positive and negative eigenvectors of its matrix.");
            }
        }
    }

    private static void adversarial(StringBuilder sb, Report.Results r) {
        sb.append("<h2 id=\"adversarial\">Adversarial masks from the weights</h2>\n");
        AdversarialMasks.Result a = r.adversarial();
        if (a == null) {
            sb.append("<p class=\"note\">").append(escape(r.notes().getOrDefault("adversarial", "skipped"))).append("</p>\n");
            return;
        }
        sb.append(String.format(Locale.ROOT, "<p>The top %d positive eigenvectors of every class, stacked and pseudo-inverted, give dual "
                + "vectors that excite one eigenvector and no other. The duals of a class, summed and mapped to pixels through the "
                + "embedding (<code>Eᵀd</code>), make its mask (scaled to std %.2f), added to the test images of the other classes "
                + "without clamping; the control is a random permutation of the same mask values. The papers find such masks work "
                + "best on models trained without input noise.</p>%n", a.perClass(), a.std()));
        figure(sb, "adversarial/masks.png", "adversarial masks", "Masks for target classes 0–9.");
        figure(sb, "adversarial/random.png", "random masks", "The controls: the same values, randomly permuted.");
        List<List<String>> rows = new ArrayList<>();
        for (AdversarialMasks.Target t : a.targets()) {
            rows.add(List.of(escape(r.classNames().get(t.target())), Integer.toString(t.images()), pct(t.cleanAccuracy()),
                    pct(t.maskAccuracy()), pct(t.maskIntoTarget()), pct(t.randomAccuracy()), pct(t.randomIntoTarget())));
        }
        rows.add(List.of("<b>mean</b>", "", "", pct(a.meanMaskAccuracy()), pct(a.meanMaskIntoTarget()), pct(a.meanRandomAccuracy()),
                pct(a.meanRandomIntoTarget())));
        sb.append(Html.table(List.of("target", "images", "clean accuracy", "mask: accuracy", "mask: into target", "random: accuracy",
                "random: into target"), rows));
    }

    private static void consistency(StringBuilder sb, Report.Results r) {
        Consistency.Result c = r.consistency();
        if (c == null) {
            return;
        }
        sb.append("<h2 id=\"consistency\">Consistency with ").append(escape(r.compareLabel())).append("</h2>\n<p>For each class, every one "
                + "of this model's top ").append(c.k()).append(" eigenvectors (by |λ|) matched to the most similar of the other model's "
                + "top ").append(c.k()).append(", by |cosine| in pixel space.</p>\n");
        List<List<String>> rows = new ArrayList<>();
        for (Consistency.ClassMatch m : c.classes()) {
            List<String> row = new ArrayList<>(List.of(escape(r.classNames().get(m.cls()))));
            for (double v : m.bestCosine()) {
                row.add(f3(v));
            }
            rows.add(row);
        }
        List<String> mean = new ArrayList<>(List.of("<b>mean</b>"));
        for (double v : c.meanByRank()) {
            mean.add("<b>" + f3(v) + "</b>");
        }
        rows.add(mean);
        List<String> header = new ArrayList<>(List.of("class"));
        for (int i = 0; i < c.k(); i++) {
            header.add("v<sub>" + (i + 1) + "</sub>");
        }
        sb.append(Html.table(header, rows));
    }

    private static void figure(StringBuilder sb, String src, String alt, String caption) {
        sb.append("<figure><img src=\"").append(escape(src)).append("\" alt=\"").append(escape(alt)).append("\">")
                .append("<figcaption>").append(caption).append("</figcaption></figure>\n");
    }
}
