package bilinear.engine.report;

import bilinear.engine.BadInputException;
import bilinear.engine.data.DataSplit;
import bilinear.engine.data.ImageDataset;
import bilinear.engine.decomp.AdversarialMasks;
import bilinear.engine.decomp.Consistency;
import bilinear.engine.decomp.Decomposer;
import bilinear.engine.decomp.Decomposition;
import bilinear.engine.decomp.Exactness;
import bilinear.engine.decomp.Explanation;
import bilinear.engine.decomp.Hosvd;
import bilinear.engine.decomp.OutputDirection;
import bilinear.engine.decomp.Recursion;
import bilinear.engine.decomp.Truncation;
import bilinear.engine.io.OutputFolder;
import bilinear.linalg.Tensor;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Everything the decomposition says about one classifier, in one folder that opens offline:
 * {@code index.html} ties the figures (PNG and SVG) to the numbers; {@code report.json} and the
 * CSVs under {@code data/} hold every figure's data. The analyses run in this order: decompose
 * every class, verify exactness on the test set, spectra and statistics, truncation curves,
 * explanations of a few test images, HOSVD, adversarial masks, and (when a second model is given)
 * consistency. Analyses that need pixel-space eigenvectors are skipped, with the reason in the
 * report, for models with more than one block.
 */
public final class Report {
    private Report() {
    }

    /**
     * @param perSign              eigenvectors shown per sign in each class's grid
     * @param kMax                 the truncation curve runs k = 1..kMax (clipped to the eigenvector count)
     * @param adversarialStd       standard deviation of the masks
     * @param adversarialPerClass  top positive eigenvectors per class stacked for the pseudo-inverse
     * @param adversarialLimit     test images the masks are evaluated on
     * @param explanations         test images explained
     * @param hosvdComponents      HOSVD components decomposed and drawn
     * @param seed                 seeds the random control masks
     * @param compare              a second model for the consistency section, or null
     * @param compareLabel         how to name it
     * @param compareK             top eigenvectors matched per class
     */
    public record Options(int perSign, int kMax, double adversarialStd, int adversarialPerClass, int adversarialLimit,
                          int explanations, int hosvdComponents, long seed, Decomposer compare, String compareLabel, int compareK) {
        public static Options defaults() {
            return new Options(6, 30, 0.3, 10, 2000, 3, 3, 42, null, null, 5);
        }

        public Options withCompare(Decomposer other, String label) {
            return new Options(perSign, kMax, adversarialStd, adversarialPerClass, adversarialLimit, explanations, hosvdComponents,
                    seed, other, label, compareK);
        }
    }

    /** What was computed, for the page and the JSON. Null sections were skipped (see {@code notes}). */
    public record Results(String modelLabel, String model, String dataset, String backend, List<String> classNames,
                          boolean pixelSpace, boolean augmented, int eigenvectors, double decomposeSeconds,
                          Exactness.Result exactness, List<Decomposition> classes, List<ClassStats> stats,
                          Truncation.Result truncation, List<Example> examples, Hosvd.Result hosvd,
                          AdversarialMasks.Result adversarial, Consistency.Result consistency, String compareLabel,
                          Map<String, String> notes, List<String> files) {
    }

    /** Per class: effective rank, counts by sign, the extreme eigenvalues, pixel-space sparsity of the top eigenvectors. */
    public record ClassStats(int cls, String name, double effectiveRank, int positive, int negative, double topPositive,
                             double topNegative, double[] topSparsity) {
    }

    /** One explained test image. */
    public record Example(int index, int label, Explanation.Result explanation) {
    }

    /** Runs every analysis and writes the folder's files (the caller commits it). */
    public static Results write(OutputFolder out, String modelLabel, Decomposer dec, DataSplit data, Options opt,
                                Consumer<String> log) {
        ImageDataset test = data.test();
        if (test.features() != dec.config().inputDim() || test.classes() != dec.outputs()) {
            throw new BadInputException(data.name() + " has " + test.features() + " pixels and " + test.classes()
                    + " classes, the model expects " + dec.config().inputDim() + " and " + dec.outputs());
        }
        int h = test.height(), w = test.width();
        List<String> names = ClassNames.of(data.name(), dec.outputs());
        List<String> files = new ArrayList<>();
        Map<String, String> notes = new LinkedHashMap<>();

        long t0 = System.nanoTime();
        List<Decomposition> classes = dec.decomposeClasses();
        double decomposeSeconds = (System.nanoTime() - t0) / 1e9;
        int n = classes.getFirst().size();
        log.accept(String.format("decomposed %d classes (%d eigenpairs each) in %.2f s", classes.size(), n, decomposeSeconds));

        Exactness.Result exact = Exactness.check(dec, OutputDirection.classes(dec.outputs()), classes, test);
        log.accept(String.format("exactness on %d test images: max |Σλ(v·x)² − logit| = %.3g (%.3g of max |logit| %.3g)",
                exact.samples(), exact.maxAbsError(), exact.relative(), exact.maxAbsLogit()));

        List<ClassStats> stats = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            Decomposition d = classes.get(c);
            int pos = d.topPositive(n).length, neg = d.topNegative(n).length;
            double[] sparsity = dec.pixelSpace() ? Figures.sparsity(dec, d, opt.perSign()) : new double[0];
            stats.add(new ClassStats(c, names.get(c), d.effectiveRank(), pos, neg, pos > 0 ? d.value(d.topPositive(1)[0]) : 0,
                    neg > 0 ? d.value(d.topNegative(1)[0]) : 0, sparsity));
        }
        put(out, files, "spectrum.svg", "data/spectra.csv", Figures.spectra(classes, names));

        if (dec.pixelSpace()) {
            put(out, files, "eigenvectors/top.png", "data/eigenvectors-top.csv", Figures.topEigenvectors(dec, classes, h, w));
            for (int c = 0; c < classes.size(); c++) {
                put(out, files, "eigenvectors/class" + c + ".png", "data/eigenvectors-class" + c + ".csv",
                        Figures.eigenvectorGrid(dec, classes.get(c), opt.perSign(), h, w));
            }
            if (classes.getFirst().augmented()) {
                Tensor linear = Tensor.zeros(classes.size(), dec.config().hidden());
                List<String> captions = new ArrayList<>();
                for (int c = 0; c < classes.size(); c++) {
                    double[] q = classes.get(c).linearTerm();
                    for (int i = 0; i < q.length; i++) {
                        linear.data()[c * q.length + i] = (float) q[i];
                    }
                    captions.add("c=" + Images.compact(classes.get(c).constant()));
                }
                put(out, files, "linear-terms.png", "data/linear-terms.csv", Figures.vectorGrid(dec.toPixels(linear), captions, 5, h, w));
            }
        } else {
            for (int c = 0; c < classes.size(); c++) {
                Recursion.Node tree = Recursion.build(dec, classes.get(c), 2);
                int leaf = 0;
                for (Decomposition d : leaves(tree)) {
                    put(out, files, "eigenvectors/class" + c + "-path" + leaf + ".png", "data/eigenvectors-class" + c + "-path" + leaf + ".csv",
                            Figures.eigenvectorGrid(dec, d, opt.perSign(), h, w));
                    leaf++;
                }
            }
        }

        int kMax = Math.min(opt.kMax(), n);
        int[] ks = new int[kMax];
        for (int k = 1; k <= kMax; k++) {
            ks[k - 1] = k;
        }
        t0 = System.nanoTime();
        Truncation.Result truncation = Truncation.run(dec, classes, test, data.train(), ks, List.of(Truncation.Rule.values()));
        put(out, files, "truncation.svg", "data/truncation.csv", Figures.truncation(truncation));
        log.accept(String.format("truncation k = 1..%d, three rules: %.2f s", kMax, (System.nanoTime() - t0) / 1e9));

        List<Example> examples = examples(dec, classes, test, opt.explanations());
        for (int e = 0; e < examples.size() && dec.pixelSpace(); e++) {
            put(out, files, "explanations/example" + e + ".png", "data/explanation" + e + ".csv",
                    ExplanationFigure.draw(dec, classes, test, examples.get(e), h, w));
        }

        Hosvd.Result hosvd = Hosvd.run(dec, Math.min(opt.hosvdComponents(), dec.outputs()));
        Csv hcsv = new Csv(headerWith("component", "singular_value", names));
        for (int k = 0; k < hosvd.components().size(); k++) {
            Object[] row = new Object[2 + names.size()];
            row[0] = k;
            row[1] = hosvd.singularValues()[k];
            for (int a = 0; a < names.size(); a++) {
                row[2 + a] = hosvd.components().get(k).classWeights()[a];
            }
            hcsv.row(row);
            if (dec.pixelSpace()) {
                put(out, files, "hosvd/component" + k + ".png", "data/hosvd-component" + k + ".csv",
                        Figures.eigenvectorGrid(dec, hosvd.components().get(k).decomposition(), opt.perSign(), h, w));
            }
        }
        Chart sv = new Chart("HOSVD singular values of the class tensor", "component", "σ");
        double[] xs = new double[hosvd.singularValues().length];
        Arrays.setAll(xs, i -> i + 1);
        sv.add(new Chart.Series("σ", Chart.PALETTE[0], xs, hosvd.singularValues(), true, false));
        put(out, files, "hosvd.svg", "data/hosvd.csv", new Figures.Figure(null, sv.svg(600, 320), hcsv.toString()));

        AdversarialMasks.Result adversarial = null;
        if (!dec.pixelSpace()) {
            notes.put("adversarial", "skipped: adversarial masks need a single-block model (pixel-space eigenvectors)");
        } else if (dec.outputs() * opt.adversarialPerClass() > dec.config().hidden()) {
            notes.put("adversarial", "skipped: " + dec.outputs() + " × " + opt.adversarialPerClass()
                    + " eigenvectors cannot be independent in a " + dec.config().hidden() + "-dimensional embedding");
        } else {
            t0 = System.nanoTime();
            adversarial = AdversarialMasks.run(dec, classes, data.train(), test, opt.adversarialStd(), opt.adversarialPerClass(),
                    opt.adversarialLimit(), opt.seed());
            List<String> captions = new ArrayList<>();
            for (int c = 0; c < dec.outputs(); c++) {
                captions.add("#" + c);
            }
            put(out, files, "adversarial/masks.png", "data/adversarial-masks.csv", Figures.vectorGrid(adversarial.masks(), captions, 5, h, w));
            put(out, files, "adversarial/random.png", "data/adversarial-random.csv", Figures.vectorGrid(adversarial.random(), captions, 5, h, w));
            Csv acsv = new Csv("target", "images", "clean_accuracy", "mask_accuracy", "mask_into_target", "random_accuracy", "random_into_target");
            for (AdversarialMasks.Target t : adversarial.targets()) {
                acsv.row(t.target(), t.images(), t.cleanAccuracy(), t.maskAccuracy(), t.maskIntoTarget(), t.randomAccuracy(), t.randomIntoTarget());
            }
            out.write("data/adversarial.csv", acsv.toString());
            files.add("data/adversarial.csv");
            log.accept(String.format("adversarial masks (std %.2f, %d per class): %.2f s", opt.adversarialStd(), opt.adversarialPerClass(),
                    (System.nanoTime() - t0) / 1e9));
        }

        Consistency.Result consistency = null;
        if (opt.compare() != null) {
            List<Decomposition> other = opt.compare().decomposeClasses();
            consistency = Consistency.compare(dec, classes, opt.compare(), other, Math.min(opt.compareK(), Math.min(n, other.getFirst().size())));
            Csv ccsv = new Csv("class", "rank", "best_abs_cosine", "matched_index");
            for (Consistency.ClassMatch m : consistency.classes()) {
                for (int i = 0; i < m.bestCosine().length; i++) {
                    ccsv.row(m.cls(), i, m.bestCosine()[i], m.bestIndex()[i]);
                }
            }
            out.write("data/consistency.csv", ccsv.toString());
            files.add("data/consistency.csv");
        }

        Results results = new Results(modelLabel, dec.config().describe(), test.name(), dec.backend().describe(), names,
                dec.pixelSpace(), classes.getFirst().augmented(), n, decomposeSeconds, exact, classes, stats, truncation,
                examples, hosvd, adversarial, consistency, opt.compareLabel(), notes, files);
        out.write("report.json", json(results));
        files.add("report.json");
        out.write("index.html", ReportPage.html(results));
        return results;
    }

    private static void put(OutputFolder out, List<String> files, String figure, String data, Figures.Figure f) {
        out.write(figure, f.png() != null ? f.png() : f.svg().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.write(data, f.csv());
        files.add(figure);
        files.add(data);
    }

    private static List<String> headerWith(String a, String b, List<String> names) {
        List<String> header = new ArrayList<>(List.of(a, b));
        names.forEach(x -> header.add("weight " + x));
        return header;
    }

    private static List<Decomposition> leaves(Recursion.Node node) {
        if (node.children().isEmpty()) {
            return List.of(node.decomposition());
        }
        List<Decomposition> out = new ArrayList<>();
        for (Recursion.Node child : node.children()) {
            out.addAll(leaves(child));
        }
        return out;
    }

    /**
     * Test images to explain: the first misclassified one among the first {@link #SCAN} (when there
     * is one) and the first correctly classified ones, {@code count} in all, in test-set order.
     */
    static List<Example> examples(Decomposer dec, List<Decomposition> classes, ImageDataset test, int count) {
        int scan = Math.min(SCAN, test.size()), d = test.features(), o = dec.outputs();
        float[] logits = dec.logits(Tensor.wrap(test.images(0, scan), scan, d)).data();
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < scan && count > 0; i++) {
            if (argmax(logits, i * o, o) != test.labels()[i]) {
                chosen.add(i);
                break;
            }
        }
        for (int i = 0; i < scan && chosen.size() < count; i++) {
            if (argmax(logits, i * o, o) == test.labels()[i]) {
                chosen.add(i);
            }
        }
        chosen.sort(null);
        List<Example> out = new ArrayList<>();
        for (int i : chosen) {
            float[] image = test.image(i);
            out.add(new Example(i, test.labels()[i], Explanation.explain(dec, classes, image, Math.min(2, o), 3)));
        }
        return out;
    }

    static final int SCAN = 500;

    private static int argmax(float[] v, int from, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (v[from + i] > v[from + best]) {
                best = i;
            }
        }
        return best;
    }

    static String json(Results r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("checkpoint", r.modelLabel());
        o.put("model", r.model());
        o.put("dataset", r.dataset());
        o.put("backend", r.backend());
        o.put("class_names", r.classNames());
        o.put("eigenvectors_per_class", r.eigenvectors());
        o.put("augmented", r.augmented());
        o.put("decompose_seconds", r.decomposeSeconds());
        o.put("exactness", Map.of("max_abs_error", r.exactness().maxAbsError(), "max_abs_logit", r.exactness().maxAbsLogit(),
                "relative", r.exactness().relative(), "samples", r.exactness().samples()));
        o.put("classes", r.stats());
        List<Map<String, Object>> spectra = new ArrayList<>();
        for (Decomposition d : r.classes()) {
            spectra.add(Map.of("name", d.name(), "eigenvalues_by_magnitude", d.values()));
        }
        o.put("spectra", spectra);
        o.put("truncation", r.truncation());
        o.put("explanations", r.examples());
        Map<String, Object> hosvd = new LinkedHashMap<>();
        hosvd.put("singular_values", r.hosvd().singularValues());
        hosvd.put("class_weights", r.hosvd().components().stream().map(Hosvd.Component::classWeights).toList());
        o.put("hosvd", hosvd);
        if (r.adversarial() != null) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("std", r.adversarial().std());
            a.put("eigenvectors_per_class", r.adversarial().perClass());
            a.put("targets", r.adversarial().targets());
            a.put("mean_mask_accuracy", r.adversarial().meanMaskAccuracy());
            a.put("mean_random_accuracy", r.adversarial().meanRandomAccuracy());
            a.put("mean_mask_into_target", r.adversarial().meanMaskIntoTarget());
            a.put("mean_random_into_target", r.adversarial().meanRandomIntoTarget());
            o.put("adversarial", a);
        }
        if (r.consistency() != null) {
            o.put("consistency", Map.of("compared_with", r.compareLabel(), "k", r.consistency().k(),
                    "mean_best_abs_cosine_by_rank", r.consistency().meanByRank(), "classes", r.consistency().classes()));
        }
        o.put("notes", r.notes());
        o.put("files", r.files());
        return GSON.toJson(o);
    }

    static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();
}
