package bilinear.cli;

import bilinear.engine.lm.LmCheckpoint;
import bilinear.engine.lm.Sampler;
import bilinear.linalg.Backend;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bilinear lm sample}: continue a prompt. */
@Command(name = "sample", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Generate text from a language model: temperature and top-k sampling, seeded.")
public final class LmSampleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHECKPOINT")
    Path checkpoint;

    @Option(names = "--prompt", paramLabel = "TEXT", defaultValue = "And God said", description = "(default: ${DEFAULT-VALUE})")
    String prompt;

    @Option(names = "--tokens", paramLabel = "N", defaultValue = "100", description = "tokens to generate (default: ${DEFAULT-VALUE})")
    int tokens;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0.8", description = "0 = greedy (default: ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "40", description = "0 = all tokens (default: ${DEFAULT-VALUE})")
    int topK;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "(default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "tokenizer (default: CHECKPOINT's .tokenizer.json)")
    Path tokenizer;

    @Option(names = "--json", description = "print the results as JSON on stdout")
    boolean json;

    @Mixin
    BackendOptions backendOptions;

    @Override
    public Integer call() throws Exception {
        backendOptions.validate();
        if (tokens < 0 || tokens > 100_000 || temperature < 0 || topK < 0) {
            throw new bilinear.engine.BadInputException("--tokens must be in [0, 100000], --temperature and --top-k not negative");
        }
        LmCheckpoint.Loaded loaded = LmCheckpoint.load(checkpoint, tokenizer);
        Backend backend = backendOptions.open(spec.commandLine().getErr());
        String text = Sampler.generate(loaded.model(), loaded.tokenizer(), prompt, tokens, temperature, topK, seed, backend);
        var out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("prompt", prompt);
            o.put("continuation", text);
            o.put("temperature", temperature);
            o.put("top_k", topK);
            o.put("seed", seed);
            Json.print(out, o);
        } else {
            out.println(prompt + text);
        }
        return ExitCode.OK.code;
    }
}
