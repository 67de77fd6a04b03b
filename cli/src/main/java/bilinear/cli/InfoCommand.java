package bilinear.cli;

import bilinear.engine.data.Datasets;
import bilinear.linalg.BackendUnavailableException;
import bilinear.linalg.Backends;
import bilinear.linalg.SimdGate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bilinear info}: what the tool sees on this machine and which backend it would use. */
@Command(name = "info", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Show the JDK, CPU, vector width, FMA, threads, the backend auto would choose and why, and the datasets found.")
public final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "print as JSON on stdout")
    boolean json;

    @Mixin
    BackendOptions backendOptions;

    @Override
    public Integer call() {
        backendOptions.validate();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("version", Main.version());
        o.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vendor") + ")");
        o.put("cpu", cpuModel());
        o.put("cores", Runtime.getRuntime().availableProcessors());
        o.put("threads", backendOptions.threadCount());
        o.put("preferred_vector_bits", SimdGate.preferredVectorBits());
        o.put("fma", SimdGate.vmOption("UseFMA").orElse("unknown"));
        o.put("use_avx", SimdGate.vmOption("UseAVX").orElse("n/a"));
        o.put("max_heap_mib", Runtime.getRuntime().maxMemory() >> 20);
        List<String> log = new ArrayList<>();
        String chosen;
        try {
            Backends.Choice c = Backends.create(Backends.Kind.parse(backendOptions.backend), backendOptions.threadCount());
            log.addAll(c.log());
            chosen = c.backend().describe();
        } catch (BackendUnavailableException e) {
            log.add(e.getMessage());
            chosen = "none";
        }
        o.put("backend", chosen);
        o.put("backend_log", log);
        o.put("eigensolver", bilinear.linalg.eigen.SymmetricEigen.describe());
        Map<String, String> data = new LinkedHashMap<>();
        data.put("mnist10k", "bundled (8,000 train / 2,000 test)");
        data.put("fashion-mnist", Files.isDirectory(Datasets.FASHION_DEFAULT_DIR)
                ? "found at " + Datasets.FASHION_DEFAULT_DIR : "not found at " + Datasets.FASHION_DEFAULT_DIR
                + " (apt-get install dataset-fashion-mnist, or --data-dir)");
        data.put("mnist", "full IDX files via --data-dir");
        o.put("datasets", data);
        var out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, o);
            return ExitCode.OK.code;
        }
        out.printf("bilinear %s%n", o.get("version"));
        out.printf("  JDK        %s%n", o.get("jdk"));
        out.printf("  CPU        %s, %d cores%n", o.get("cpu"), o.get("cores"));
        out.printf("  vectors    preferred %s bits, FMA %s, UseAVX %s%n", o.get("preferred_vector_bits"), o.get("fma"), o.get("use_avx"));
        out.printf("  threads    %d%n", o.get("threads"));
        out.printf("  heap       %,d MiB max%n", o.get("max_heap_mib"));
        out.printf("  backend    %s%n", chosen);
        for (String line : log) {
            out.printf("             %s%n", line);
        }
        out.printf("  eigen      %s%n", o.get("eigensolver"));
        for (Map.Entry<String, String> e : data.entrySet()) {
            out.printf("  %-10s %s%n", e.getKey(), e.getValue());
        }
        return ExitCode.OK.code;
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }
}
