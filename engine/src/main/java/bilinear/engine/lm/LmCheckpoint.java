package bilinear.engine.lm;

import bilinear.engine.BadInputException;
import bilinear.engine.io.Safetensors;
import bilinear.engine.optim.AdamW;
import bilinear.engine.text.BpeTokenizer;
import bilinear.linalg.Gate;
import bilinear.linalg.Tensor;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Language-model checkpoints: safetensors with the reference parameter names, the architecture,
 * training configuration and history in the metadata; the tokenizer as {@code NAME.tokenizer.json}
 * and AdamW's state as {@code NAME.state.safetensors} beside it. Models saved by the reference
 * PyTorch script load too: their {@code "config"} metadata ({@code vocab, n_layer, d_model,
 * d_hidden, n_head, n_ctx, gate}) gives the architecture.
 */
public final class LmCheckpoint {
    private LmCheckpoint() {
    }

    static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();
    public static final String KIND = "language-model";

    public record Loaded(Transformer model, LmTrainConfig train, LmRecords.History history, int stepsDone,
                         BpeTokenizer tokenizer, Map<String, String> metadata) {
    }

    public static Path tokenizerPath(Path model) {
        return sibling(model, ".tokenizer.json");
    }

    public static Path statePath(Path model) {
        return sibling(model, ".state.safetensors");
    }

    private static Path sibling(Path model, String suffix) {
        String name = model.getFileName().toString();
        String stem = name.endsWith(".safetensors") ? name.substring(0, name.length() - ".safetensors".length()) : name;
        return model.resolveSibling(stem + suffix);
    }

    /**
     * Writes the tokenizer, the optimizer state, then the model (each atomically), as one group
     * under the checkpoint lock so that Ctrl-C lets the group finish (see {@link bilinear.engine.io.Checkpoint#PAIR_LOCK}).
     */
    public static void save(Path path, Transformer model, BpeTokenizer tokenizer, LmTrainConfig train,
                            LmRecords.History history, int stepsDone, AdamW optimizer) {
        synchronized (bilinear.engine.io.Checkpoint.PAIR_LOCK) {
            if (bilinear.engine.io.Checkpoint.closedForShutdown()) {
                return;
            }
            saveGroup(path, model, tokenizer, train, history, stepsDone, optimizer);
        }
    }

    private static void saveGroup(Path path, Transformer model, BpeTokenizer tokenizer, LmTrainConfig train,
                                  LmRecords.History history, int stepsDone, AdamW optimizer) {
        tokenizer.save(tokenizerPath(path));
        if (optimizer != null) {
            Map<String, String> meta = Map.of("bilinear.steps_done", Integer.toString(stepsDone));
            Safetensors.write(statePath(path), optimizer.state(), meta);
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.parameters().forEach(p -> tensors.put(p.name(), p.value()));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("bilinear.kind", KIND);
        meta.put("bilinear.lm", GSON.toJson(model.config()));
        meta.put("config", referenceConfig(model.config()));
        if (train != null) {
            meta.put("bilinear.lm_train", GSON.toJson(train));
        }
        if (history != null) {
            meta.put("bilinear.history", GSON.toJson(history));
        }
        meta.put("bilinear.steps_done", Integer.toString(stepsDone));
        Safetensors.write(path, tensors, meta);
    }

    /** The architecture in the reference script's own metadata format. */
    static String referenceConfig(LmConfig c) {
        JsonObject o = new JsonObject();
        o.addProperty("vocab", c.vocab());
        o.addProperty("n_layer", c.layers());
        o.addProperty("d_model", c.dModel());
        o.addProperty("d_hidden", c.dHidden());
        o.addProperty("n_head", c.heads());
        o.addProperty("d_head", c.headSize());
        o.addProperty("n_ctx", c.context());
        o.addProperty("gate", switch (c.gate()) {
            case NONE -> "none";
            case RELU -> "relu";
            case SILU -> "silu";
            case GELU -> "gelu";
        });
        return GSON.toJson(o);
    }

    public static Loaded load(Path path, Path tokenizerOverride) {
        if (!Files.exists(path)) {
            throw new BadInputException("no such checkpoint: " + path);
        }
        Safetensors.Contents c = Safetensors.read(path);
        Map<String, String> meta = c.metadata();
        String kind = meta.get("bilinear.kind");
        if (kind != null && !kind.equals(KIND)) {
            throw new BadInputException(path + " holds a " + kind + ", not a language model");
        }
        LmConfig config;
        try {
            if (meta.containsKey("bilinear.lm")) {
                config = GSON.fromJson(meta.get("bilinear.lm"), LmConfig.class);
            } else if (meta.containsKey("config")) {
                config = fromReference(JsonParser.parseString(meta.get("config")).getAsJsonObject());
            } else {
                throw new BadInputException(path + " has no architecture in its metadata (not a language model?)");
            }
        } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException e) {
            throw new BadInputException(path + ": unreadable architecture metadata (" + e.getMessage() + ")");
        }
        Transformer model;
        try {
            model = Transformer.fromTensors(config, c.tensors());
        } catch (BadInputException e) {
            throw new BadInputException(path + ": " + e.getMessage());
        }
        for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
            float[] d = e.getValue().data();
            for (int i = 0; i < e.getValue().size(); i++) {
                if (!Float.isFinite(d[i])) {
                    throw new BadInputException(path + ": tensor '" + e.getKey() + "' contains " + d[i] + " at index " + i);
                }
            }
        }
        LmTrainConfig train = meta.containsKey("bilinear.lm_train") ? GSON.fromJson(meta.get("bilinear.lm_train"), LmTrainConfig.class) : null;
        LmRecords.History history = meta.containsKey("bilinear.history")
                ? GSON.fromJson(meta.get("bilinear.history"), LmRecords.History.class) : null;
        int steps = meta.containsKey("bilinear.steps_done") ? Integer.parseInt(meta.get("bilinear.steps_done").trim()) : 0;
        Path tokPath = tokenizerOverride != null ? tokenizerOverride : tokenizerPath(path);
        if (!Files.exists(tokPath)) {
            throw new BadInputException("no tokenizer for " + path + ": expected " + tokPath + " (or pass --tokenizer)");
        }
        BpeTokenizer tokenizer = BpeTokenizer.load(tokPath);
        if (tokenizer.vocabSize() != config.vocab()) {
            throw new BadInputException("tokenizer " + tokPath + " has " + tokenizer.vocabSize() + " tokens but the model "
                    + config.vocab());
        }
        return new Loaded(model, train, history, steps, tokenizer, meta);
    }

    static LmConfig fromReference(JsonObject o) {
        String gate = o.has("gate") ? o.get("gate").getAsString() : "none";
        return new LmConfig(o.get("vocab").getAsInt(), o.get("n_layer").getAsInt(), o.get("d_model").getAsInt(),
                o.get("d_hidden").getAsInt(), o.get("n_head").getAsInt(), o.get("n_ctx").getAsInt(), Gate.parse(gate), true);
    }

    /** Restores AdamW's state saved beside {@code path}. */
    public static void loadOptimizer(Path path, Loaded loaded, AdamW optimizer) {
        Path state = statePath(path);
        if (!Files.exists(state)) {
            throw new BadInputException("cannot resume from " + path + ": its optimizer state " + state.getFileName() + " is missing");
        }
        Safetensors.Contents c = Safetensors.read(state);
        String s = c.metadata().get("bilinear.steps_done");
        int steps = s == null ? -1 : Integer.parseInt(s.trim());
        if (steps != loaded.stepsDone()) {
            throw new BadInputException("cannot resume: " + state.getFileName() + " is from step " + steps + " but "
                    + path.getFileName() + " from step " + loaded.stepsDone());
        }
        optimizer.restore(c.tensors(), steps, loaded.model().parameters());
    }
}
