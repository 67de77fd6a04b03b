package bilinear.engine.circuits;

import static bilinear.engine.report.Html.escape;
import static bilinear.engine.report.Html.f3;
import static bilinear.engine.report.Html.sci;

import bilinear.engine.io.OutputFolder;
import bilinear.engine.report.Chart;
import bilinear.engine.report.Colormap;
import bilinear.engine.report.Csv;
import bilinear.engine.report.Html;
import com.google.gson.GsonBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The circuit report: one offline folder with {@code index.html} (tables, the correlation curve
 * as inline SVG, dataset contexts with the driving token highlighted), {@code circuits.json} (all
 * of the result) and CSVs of the ranking and the correlation curve.
 */
public final class CircuitReport {
    private CircuitReport() {
    }

    private static final String STYLE = """
            body { font-family: sans-serif; max-width: 1050px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
            h2 { border-bottom: 1px solid #ddd; padding-bottom: .2em; margin-top: 2em; } .meta { color: #555; }
            table { border-collapse: collapse; margin: .8em 0; font-size: .9em; }
            th, td { border: 1px solid #ddd; padding: .2em .5em; text-align: right; vertical-align: top; } th { background: #f4f4f4; }
            td.text, th.text { text-align: left; font-family: monospace; white-space: pre-wrap; max-width: 620px; }
            mark { padding: 0 .1em; border-radius: 2px; } .heat { display: inline-block; min-width: 4em; padding: 0 .3em; }
            code { background: #f4f4f4; padding: 0 .2em; }
            """;

    public static void write(CircuitAnalysis.Result r, Path folder, boolean force) {
        try (OutputFolder out = OutputFolder.open(folder, force)) {
            out.write("index.html", html(r));
            out.write("circuits.json", new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
                    .serializeSpecialFloatingPointValues().create().toJson(r));
            Csv ranking = new Csv("feature", "lambda1", "lambda2", "top2_abs", "top2_fraction", "active_tokens");
            for (FeatureCircuits.Ranked f : r.ranking()) {
                ranking.row(f.feature(), f.lambda1(), f.lambda2(), f.top2(), f.top2Fraction(), f.activeTokens());
            }
            out.write("ranking.csv", ranking.toString());
            Csv curve = new Csv("k", "median_correlation");
            for (int k = 0; k < r.medianCorrelationByK().length; k++) {
                curve.row(k + 1, r.medianCorrelationByK()[k]);
            }
            out.write("correlation.csv", curve.toString());
            out.commit();
        }
    }

    static String html(CircuitAnalysis.Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<link rel=\"icon\" href=\"data:,\">\n<title>Circuits of ")
                .append(escape(r.model())).append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        sb.append("<h1>Feature circuits read from the weights</h1>\n<p class=\"meta\">model <code>").append(escape(r.model()))
                .append("</code> · layer ").append(r.layer()).append(" MLP · ").append(r.features()).append(" output features · ")
                .append(String.format(Locale.ROOT, "%,d", r.samples())).append(" held-out tokens</p>\n");
        sb.append("<p>For an output feature with encoder row <code>u</code>, the MLP computes <code>u·y = mᵀQ(u)m</code> with "
                + "<code>Q(u) = sym(Wᵀ diag(Pᵀu) V)</code> and <code>m</code> the MLP input, so <code>Q(u) = Σ λᵢ vᵢvᵢᵀ</code> "
                + "splits the feature into eigenvectors: <code>u·y = Σ λᵢ (vᵢ·m)²</code>.</p>\n");
        sb.append("<h2>Exactness</h2>\n<p>Largest |mᵀQm + c − pre-activation| relative to the largest |pre-activation|, over ")
                .append(r.exactnessFeatures()).append(" features × all tokens: <b>").append(sci(r.exactness())).append("</b>.</p>\n");
        if (r.liveFeatures() > 0) {
            correlation(sb, r);
        }
        if (!r.ranking().isEmpty()) {
            ranking(sb, r);
        }
        for (CircuitAnalysis.Detail d : r.details()) {
            detail(sb, d);
        }
        return sb.append("</body>\n</html>\n").toString();
    }

    private static void correlation(StringBuilder sb, CircuitAnalysis.Result r) {
        double[] m = r.medianCorrelationByK();
        sb.append("<h2>How many eigenvectors explain a feature</h2>\n<p>Pearson correlation between the top-k approximation "
                + "<code>Σ<sub>i&lt;k</sub> λᵢ(vᵢ·m)²</code> and the true pre-activation, on the tokens where the feature is active; "
                + "median over the ").append(r.liveFeatures()).append(" live features. At k = 2: <b>").append(f3(r.medianTop2Correlation()))
                .append("</b> (").append(Html.pct(r.fractionAbove075AtK2())).append(" of features above 0.75).</p>\n");
        double[] x = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            x[i] = i + 1;
        }
        sb.append(new Chart("Median correlation vs k", "eigenvectors kept (k)", "median correlation")
                .add(new Chart.Series("median", Chart.PALETTE[0], x, m, true, false)).reference(0.75, "0.75", "#999")
                .yRange(0, 1).svg(640, 300)).append('\n');
    }

    private static void ranking(StringBuilder sb, CircuitAnalysis.Result r) {
        sb.append("<h2>Output features ranked by their top-2 |λ|</h2>\n");
        List<List<String>> rows = new ArrayList<>();
        for (FeatureCircuits.Ranked f : r.ranking()) {
            rows.add(List.of(Integer.toString(f.feature()), f3(f.lambda1()), f3(f.lambda2()), f3(f.top2()), Html.pct(f.top2Fraction()),
                    Integer.toString(f.activeTokens())));
        }
        sb.append(Html.table(List.of("feature", "λ₁", "λ₂", "|λ₁|+|λ₂|", "share of Σ|λ|", "active tokens"), rows));
    }

    private static void detail(StringBuilder sb, CircuitAnalysis.Detail d) {
        sb.append("<h2>").append(escape(d.name())).append("</h2>\n<p>Top eigenvalues: ");
        for (int i = 0; i < Math.min(8, d.eigenvalues().length); i++) {
            sb.append(i > 0 ? ", " : "").append(f3(d.eigenvalues()[i]));
        }
        sb.append("</p>\n");
        if (d.correlationByK() != null) {
            sb.append("<p>Correlation of the top-k approximation with the feature: k=1 ").append(f3(d.correlationByK()[0]))
                    .append(", k=2 ").append(f3(d.correlationByK()[Math.min(1, d.correlationByK().length - 1)])).append("</p>\n");
        }
        if (!d.strongestContexts().isEmpty()) {
            sb.append("<h3>Where the feature is most active</h3>\n");
            contexts(sb, d.strongestContexts());
        }
        for (CircuitAnalysis.EigenDetail e : d.eigenvectors()) {
            sb.append("<h3>Eigenvector ").append(e.index() + 1).append(" (λ = ").append(f3(e.lambda())).append(", ")
                    .append(e.lambda() > 0 ? "pushes the feature up" : "pushes it down").append(")</h3>\n<p>Tokens by the direct path: ");
            for (int i = 0; i < e.tokens().size(); i++) {
                sb.append(i > 0 ? " · " : "").append("<code>").append(escape(visible(e.tokens().get(i).text()))).append("</code>");
            }
            sb.append("</p>\n");
            contexts(sb, e.contexts());
        }
        if (!d.selfInteractions().isEmpty()) {
            sb.append("<h3>Input features that interact to produce it (D<sub>in</sub>ᵀ Q D<sub>in</sub>)</h3>\n");
            List<List<String>> rows = new ArrayList<>();
            for (int i = 0; i < Math.max(d.selfInteractions().size(), d.crossInteractions().size()); i++) {
                List<String> row = new ArrayList<>();
                row.add(i < d.selfInteractions().size() ? Integer.toString(d.selfInteractions().get(i).a()) : "");
                row.add(i < d.selfInteractions().size() ? f3(d.selfInteractions().get(i).value()) : "");
                row.add(i < d.crossInteractions().size() ? d.crossInteractions().get(i).a() + " × " + d.crossInteractions().get(i).b() : "");
                row.add(i < d.crossInteractions().size() ? f3(d.crossInteractions().get(i).value()) : "");
                rows.add(row);
            }
            sb.append(Html.table(List.of("self: feature", "Q<sub>aa</sub>", "cross: features", "2Q<sub>ab</sub>"), rows));
        }
    }

    private static void contexts(StringBuilder sb, List<TopContexts.Context> contexts) {
        double limit = 1e-30;
        for (TopContexts.Context c : contexts) {
            limit = Math.max(limit, Math.abs(c.activation()));
        }
        List<List<String>> rows = new ArrayList<>();
        for (TopContexts.Context c : contexts) {
            int rgb = Colormap.diverging(c.activation(), limit);
            rows.add(List.of(f3(c.activation()), "<span class=\"text\">" + escape(c.before()) + "<mark style=\"background:#"
                    + String.format("%06x", rgb) + "\">" + escape(c.token()) + "</mark>" + escape(c.after()) + "</span>"));
        }
        String table = Html.table(List.of("activation", "context (driving token highlighted)"), rows);
        sb.append(table.replace("<td><span class=\"text\">", "<td class=\"text\"><span>"));
    }

    private static String visible(String token) {
        return token.replace("\n", "\\n").replace(" ", "␣");
    }
}
