package bilinear.cli;

import bilinear.engine.BadInputException;
import bilinear.engine.data.ImageDataset;
import bilinear.engine.decomp.Decomposer;
import bilinear.engine.decomp.Decomposition;
import bilinear.engine.decomp.Exactness;
import bilinear.engine.decomp.OutputDirection;
import bilinear.engine.io.Checkpoint;
import bilinear.engine.io.OutputFolder;
import bilinear.engine.io.Safetensors;
import bilinear.engine.report.Csv;
import bilinear.engine.report.Figures;
import bilinear.linalg.Backend;
import bilinear.linalg.Tensor;
import bilinear.linalg.eigen.EigenOrder;
import bilinear.linalg.eigen.SymmetricEigen;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bilinear decompose}: eigendecompositions of interaction matrices, checked for exactness. */
@Command(name = "decompose", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Eigendecompose the interaction matrix Q(u) = sym(Wᵀ diag(Pᵀu) V) of every class (or of the directions given),",
                "check that Σλ(v·x)² reproduces the model on the test set, and print the spectra; --out writes the eigenvectors",
                "(safetensors, CSV) and their pictures."})
public final class DecomposeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "a .safetensors model (ours or a reference PyTorch state dict)")
    Path checkpoint;

    @Option(names = {"-u", "--direction"}, paramLabel = "SPEC",
            description = "output direction: a class (3), a difference (3-5) or file:PATH (numbers, or one safetensors tensor); "
                    + "repeatable (default: every class)")
    List<String> directions;

    @Option(names = "--top", paramLabel = "K", defaultValue = "8", description = "eigenvalues printed per direction (default: ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--order", paramLabel = "ORDER", defaultValue = "magnitude",
            description = "magnitude, descending, ascending or signed (positives, then negatives) (default: ${DEFAULT-VALUE})")
    String order;

    @Option(names = "--precision", paramLabel = "P", defaultValue = "double",
            description = "eigensolver arithmetic: double (eigenpairs to about 1e-15) or single (the dense steps in float, "
                    + "about 1.4× faster, eigenpairs to about 1e-5 of the largest |λ|) (default: ${DEFAULT-VALUE})")
    String precision;

    @Option(names = "--no-verify", description = "skip the exactness check on the test set")
    boolean noVerify;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
            description = "decompose N times and report the median and fastest time (a benchmark)")
    int repeat;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "write eigenpairs, CSVs and pictures into this folder")
    Path out;

    @Option(names = "--force", description = "replace an existing --out folder")
    boolean force;

    @Option(names = "--json", description = "print the results as JSON on stdout")
    boolean json;

    @Mixin
    DataOptions dataOptions;

    private double productsMedian;

    @Mixin
    BackendOptions backendOptions;

    @Override
    public Integer call() throws Exception {
        backendOptions.validate();
        EigenOrder eigenOrder = parseOrder(order);
        SymmetricEigen.Precision asked = parsePrecision(precision), eigenPrecision = SymmetricEigen.effective(asked);
        if (top < 1) {
            throw new BadInputException("--top must be at least 1, got " + top);
        }
        if (repeat < 1 || repeat > 1000) {
            throw new BadInputException("--repeat must be between 1 and 1000, got " + repeat);
        }
        Checkpoint.Loaded loaded = Decomposable.load(checkpoint);
        int outputs = loaded.model().config().classes();
        List<OutputDirection> us = new ArrayList<>();
        if (directions == null || directions.isEmpty()) {
            us.addAll(OutputDirection.classes(outputs));
        } else {
            for (String d : directions) {
                us.add(OutputDirection.parse(d, outputs));
            }
        }
        DataOptions.Choice data = noVerify && out == null ? null : dataOptions.resolve(loaded);
        if (out != null) {
            OutputFolder.check(out, force);
        }

        var err = spec.commandLine().getErr();
        Backend backend = backendOptions.open(err);
        if (eigenPrecision != asked) {
            err.printf("--precision single: running in double, %s%n", SymmetricEigen.whySingleUnavailable());
        }
        Decomposer dec = new Decomposer(loaded.model(), backend, eigenPrecision);
        double[] seconds = new double[repeat], products = new double[repeat];
        List<Decomposition> result = null;
        for (int r = 0; r < repeat; r++) {
            long t0 = System.nanoTime();
            result = dec.decompose(us);
            seconds[r] = (System.nanoTime() - t0) / 1e9;
            if (repeat > 1) {           // the Q(u) products alone, to split the time between GEMM and eigensolver
                long t1 = System.nanoTime();
                for (OutputDirection u : us) {
                    dec.interactionMatrix(dec.topLayer(), dec.headDirection(u));
                }
                products[r] = (System.nanoTime() - t1) / 1e9;
            }
        }
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        double median = sorted[repeat / 2];
        Arrays.sort(products);
        productsMedian = products[repeat / 2];
        ImageDataset test = data == null ? null : data.load().test();
        Exactness.Result exact = noVerify ? null : Exactness.check(dec, us, result, test);
        if (out != null) {
            writeFolder(dec, us, result, test);
        }
        print(loaded, dec, us, result, exact, eigenOrder, eigenPrecision, median, sorted[0], test);
        return ExitCode.OK.code;
    }

    static SymmetricEigen.Precision parsePrecision(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "double" -> SymmetricEigen.Precision.DOUBLE;
            case "single", "float", "float32" -> SymmetricEigen.Precision.SINGLE;
            default -> throw new BadInputException("unknown --precision '" + s + "' (expected double or single)");
        };
    }

    static EigenOrder parseOrder(String s) {
        try {
            return EigenOrder.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("unknown --order '" + s + "' (expected magnitude, descending, ascending or signed)");
        }
    }

    private void print(Checkpoint.Loaded loaded, Decomposer dec, List<OutputDirection> us, List<Decomposition> result,
                       Exactness.Result exact, EigenOrder eigenOrder, SymmetricEigen.Precision eigenPrecision,
                       double median, double fastest, ImageDataset test) {
        var o = spec.commandLine().getOut();
        int n = result.getFirst().size();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("checkpoint", checkpoint.toString());
            m.put("model", loaded.model().config().describe());
            m.put("backend", dec.backend().describe());
            m.put("eigenpairs_per_direction", n);
            m.put("eigen_precision", eigenPrecision.name().toLowerCase(Locale.ROOT));
            m.put("seconds_median", median);
            m.put("seconds_fastest", fastest);
            m.put("repeats", repeat);
            if (repeat > 1) {
                m.put("seconds_products_median", productsMedian);
            }
            if (exact != null) {
                m.put("exactness", Map.of("dataset", test.name(), "samples", exact.samples(), "max_abs_error", exact.maxAbsError(),
                        "max_abs_logit", exact.maxAbsLogit(), "relative", exact.relative()));
            }
            List<Map<String, Object>> ds = new ArrayList<>();
            for (int i = 0; i < result.size(); i++) {
                Decomposition d = result.get(i);
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("name", d.name());
                e.put("direction", us.get(i).vector());
                e.put("effective_rank", d.effectiveRank());
                e.put("positive", d.topPositive(n).length);
                e.put("negative", d.topNegative(n).length);
                e.put("order", eigenOrder.name().toLowerCase(Locale.ROOT));
                e.put("eigenvalues", Arrays.stream(d.order(eigenOrder)).limit(top).mapToDouble(d::value).toArray());
                ds.add(e);
            }
            m.put("directions", ds);
            if (out != null) {
                m.put("out", out.toString());
            }
            Json.print(o, m);
            return;
        }
        String single = eigenPrecision == SymmetricEigen.Precision.SINGLE ? " (single precision)" : "";
        o.printf("decomposed %d direction%s of a %s: %d eigenpairs each%s, %.3f s%s (%s)%n", result.size(), result.size() == 1 ? "" : "s",
                loaded.model().config().describe(), n, single, median, repeat > 1 ? String.format(Locale.ROOT,
                        " median of %d (fastest %.3f s; the Q(u) products alone %.3f s)", repeat, fastest, productsMedian) : "",
                dec.backend().describe());
        if (exact != null) {
            o.printf("exact: max |Σλ(v·x)² − u·y(x)| = %.3g, %.3g of max |u·y(x)| = %.4g, over %d %s images%n", exact.maxAbsError(),
                    exact.relative(), exact.maxAbsLogit(), exact.samples(), test.name());
        }
        for (Decomposition d : result) {
            StringBuilder sb = new StringBuilder();
            for (int i : Arrays.stream(d.order(eigenOrder)).limit(top).toArray()) {
                sb.append(String.format(Locale.ROOT, " %+.4g", d.value(i)));
            }
            o.printf("%-10s effective rank %6.2f   λ (%s):%s%n", d.name(), d.effectiveRank(), eigenOrder.name().toLowerCase(Locale.ROOT), sb);
        }
        if (out != null) {
            o.printf("wrote %s%n", out);
        }
    }

    private void writeFolder(Decomposer dec, List<OutputDirection> us, List<Decomposition> result, ImageDataset test) {
        try (OutputFolder folder = OutputFolder.open(out, force)) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            Csv values = new Csv("direction", "index", "eigenvalue");
            for (Decomposition d : result) {
                int n = d.size();
                Tensor lambda = Tensor.zeros(n);
                for (int i = 0; i < n; i++) {
                    lambda.data()[i] = (float) d.value(i);
                    values.row(d.name(), i, d.value(i));
                }
                tensors.put(d.name() + ".eigenvalues", lambda);
                tensors.put(d.name() + ".eigenvectors", d.vectorsAsTensor().copy());
                if (dec.pixelSpace()) {
                    tensors.put(d.name() + ".pixels", dec.pixelVectors(d, n));
                    Figures.Figure grid = Figures.eigenvectorGrid(dec, d, 6, test.height(), test.width());
                    folder.write("eigenvectors/" + d.name() + ".png", grid.png());
                    folder.write("data/eigenvectors-" + d.name() + ".csv", grid.csv());
                }
            }
            folder.write("eigenvalues.csv", values.toString());
            List<String> names = new ArrayList<>();
            for (Decomposition d : result) {
                names.add(d.name());
            }
            folder.write("spectrum.svg", Figures.spectra(result, names).svg());
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("bilinear.kind", "decomposition");
            meta.put("bilinear.model", dec.config().describe());
            meta.put("bilinear.layout", "NAME.eigenvalues [N] by decreasing |λ|; NAME.eigenvectors [N, N] rows; "
                    + "NAME.pixels [N, D] = Eᵀv (first block only)");
            Safetensors.write(folder.path("decomposition.safetensors"), tensors, meta);
            folder.commit();
        }
    }
}
