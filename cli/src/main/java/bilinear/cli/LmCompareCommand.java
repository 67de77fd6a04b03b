package bilinear.cli;

import bilinear.engine.BadInputException;
import bilinear.engine.lm.GateComparison;
import bilinear.engine.lm.LmConfig;
import bilinear.engine.lm.LmTrainConfig;
import bilinear.engine.lm.TokenData;
import bilinear.engine.optim.AdamW;
import bilinear.engine.optim.Schedule;
import bilinear.engine.text.BpeTokenizer;
import bilinear.engine.text.Corpus;
import bilinear.linalg.Backend;
import bilinear.linalg.Gate;
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

/** {@code bilinear lm compare}: bilinear vs ReGLU vs SwiGLU MLPs on one recipe. */
@Command(name = "compare", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Train one model per MLP gate on the same recipe and tabulate validation loss at equal steps and,",
                "with --equal-time, at equal wall-clock time (each gate gets the bilinear model's training time)."})
public final class LmCompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--gates", paramLabel = "LIST", defaultValue = "bilinear,reglu,swiglu", split = ",",
            description = "(default: ${DEFAULT-VALUE}); the first is the time budget's reference")
    List<String> gates;

    @Option(names = "--equal-time", description = "also compare at equal wall-clock time")
    boolean equalTime;

    @Option(names = "--corpus", paramLabel = "SOURCE", defaultValue = "kjv", description = "(default: ${DEFAULT-VALUE})")
    String corpus;

    @Option(names = "--vocab", paramLabel = "N", defaultValue = "4096")
    int vocab;

    @Option(names = "--layers", paramLabel = "N", defaultValue = "2")
    int layers;

    @Option(names = "--d-model", paramLabel = "D", defaultValue = "256")
    int dModel;

    @Option(names = "--d-hidden", paramLabel = "H", defaultValue = "1024")
    int dHidden;

    @Option(names = "--heads", paramLabel = "N", defaultValue = "4")
    int heads;

    @Option(names = "--context", paramLabel = "T", defaultValue = "256")
    int context;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "600")
    int steps;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "16")
    int batch;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "1e-3")
    float lr;

    @Option(names = "--warmup", paramLabel = "STEPS", defaultValue = "50")
    long warmup;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0")
    long seed;

    @Option(names = "--json", description = "print the table as JSON on stdout")
    boolean json;

    @Mixin
    BackendOptions backendOptions;

    @Override
    public Integer call() throws Exception {
        backendOptions.validate();
        List<Gate> gs = new ArrayList<>();
        for (String g : gates) {
            gs.add(TrainCommand.parseGate(g));
        }
        if (gs.isEmpty()) {
            throw new BadInputException("--gates needs at least one gate");
        }
        LmConfig model = new LmConfig(vocab, layers, dModel, dHidden, heads, context, gs.get(0), true);
        LmTrainConfig base = new LmTrainConfig(corpus, null, model, steps, batch, lr, new AdamW.Settings(0.9f, 0.95f, 1e-8f, 0.1f, 1f),
                Schedule.of("linear", warmup, 1, 1), 0f, 0, seed);
        if (!corpus.equals("kjv") && !java.nio.file.Files.isRegularFile(Path.of(corpus))) {
            throw new BadInputException("no such corpus file: " + corpus);
        }
        var err = spec.commandLine().getErr();
        Backend backend = backendOptions.open(err);
        Corpus text = Corpus.load(corpus, null);
        BpeTokenizer tok = BpeTokenizer.train(text.train(), vocab, false);
        base = base.withModel(model.withVocab(tok.vocabSize()));
        TokenData data = TokenData.encode(text, tok);
        List<GateComparison.Row> rows = GateComparison.run(base, gs, equalTime, data, tok, backend, new GateComparison.Listener() {
            @Override
            public void starting(Gate gate, String budget, int n) {
                err.printf("[compare] %s, %s: %d steps...%n", GateComparison.name(gate), budget, n);
            }

            @Override
            public void finished(GateComparison.Row r) {
                err.printf("[compare] %s, %s: %.4f nats/token, %.4f bits/byte, %.0f ms/step%n", r.gate(), r.budget(),
                        r.natsPerToken(), r.bitsPerByte(), 1000 * r.medianStepSeconds());
            }
        });
        var out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("config", base);
            o.put("rows", rows);
            Json.print(out, o);
        } else {
            out.printf("%-9s %-12s %6s %12s %10s %10s%n", "MLP", "budget", "steps", "nats/token", "bits/byte", "ms/step");
            for (GateComparison.Row r : rows) {
                out.printf("%-9s %-12s %6d %12.4f %10.4f %10.0f%n", r.gate(), r.budget(), r.steps(), r.natsPerToken(),
                        r.bitsPerByte(), 1000 * r.medianStepSeconds());
            }
        }
        return ExitCode.OK.code;
    }
}
