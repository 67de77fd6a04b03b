package bilinear.engine.io;

import bilinear.engine.BadInputException;
import bilinear.engine.model.BilinearClassifier;
import bilinear.engine.model.ImageModelConfig;
import bilinear.engine.optim.AdamW;
import bilinear.engine.train.EpochRecord;
import bilinear.engine.train.TrainConfig;
import bilinear.linalg.Gate;
import bilinear.linalg.Tensor;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Model checkpoints as safetensors with the reference PyTorch key names, so a model trained by the
 * reference code loads here and ours load there ({@code model.load_state_dict}). The metadata
 * carries the architecture, the training configuration and the history as JSON strings.
 *
 * <p>Resumable runs also write {@code NAME.state.safetensors} beside the model: AdamW's moments
 * ({@code exp_avg.*}, {@code exp_avg_sq.*}) and the step count. Both files record the number of
 * completed epochs and updates, and a resume refuses a pair that disagrees.
 */
public final class Checkpoint {
    private Checkpoint() {
    }

    static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();
    public static final String KEY_KIND = "bilinear.kind";
    public static final String KEY_MODEL = "bilinear.model";
    public static final String KEY_TRAIN = "bilinear.train";
    public static final String KEY_HISTORY = "bilinear.history";
    public static final String KEY_EPOCHS = "bilinear.epochs_done";
    public static final String KEY_STEPS = "bilinear.steps_done";
    public static final String KIND_IMAGE = "image-classifier";

    /** A loaded model with whatever the file said about how it was made. */
    public record Loaded(BilinearClassifier model, TrainConfig train, List<EpochRecord> history, int epochsDone,
                         long stepsDone, boolean fromReference, Map<String, String> metadata) {
    }

    /** The optimizer sidecar of a checkpoint path. */
    public static Path statePath(Path model) {
        String name = model.getFileName().toString();
        String stem = name.endsWith(".safetensors") ? name.substring(0, name.length() - ".safetensors".length()) : name;
        return model.resolveSibling(stem + ".state.safetensors");
    }

    public static void save(Path path, BilinearClassifier model, TrainConfig train, List<EpochRecord> history,
                            int epochsDone, long stepsDone) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.parameters().forEach(p -> tensors.put(p.name(), p.value()));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put(KEY_KIND, KIND_IMAGE);
        meta.put(KEY_MODEL, GSON.toJson(model.config()));
        if (train != null) {
            meta.put(KEY_TRAIN, GSON.toJson(train));
        }
        meta.put(KEY_HISTORY, GSON.toJson(history));
        meta.put(KEY_EPOCHS, Integer.toString(epochsDone));
        meta.put(KEY_STEPS, Long.toString(stepsDone));
        Safetensors.write(path, tensors, meta);
    }

    /**
     * Held while a checkpoint and its optimizer state are written as a pair (each file is atomic,
     * the pair is not). A shutdown hook that reports what an interrupted run left takes it first,
     * so that Ctrl-C between the two writes lets the pair finish rather than leaving a model and
     * an optimizer state from different epochs.
     */
    public static final Object PAIR_LOCK = new Object();
    /** Set by {@link #closeForShutdown}; read and written under {@link #PAIR_LOCK}. */
    private static boolean closed;

    /**
     * For a shutdown hook holding {@link #PAIR_LOCK}: no checkpoint pair is started after this,
     * so the JVM's halt cannot cut one in half.
     */
    public static void closeForShutdown() {
        synchronized (PAIR_LOCK) {
            closed = true;
        }
    }

    /** Whether a shutdown hook has closed checkpoint writing (see {@link #closeForShutdown}); call under {@link #PAIR_LOCK}. */
    public static boolean closedForShutdown() {
        return closed;
    }

    /** Writes the optimizer sidecar first, then the model, each atomically, as one pair under {@link #PAIR_LOCK}. */
    public static void saveResumable(Path path, BilinearClassifier model, TrainConfig train, List<EpochRecord> history,
                                     int epochsDone, AdamW optimizer) {
        synchronized (PAIR_LOCK) {
            if (closed) {
                return;
            }
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put(KEY_EPOCHS, Integer.toString(epochsDone));
            meta.put(KEY_STEPS, Long.toString(optimizer.stepCount()));
            Safetensors.write(statePath(path), optimizer.state(), meta);
            save(path, model, train, history, epochsDone, optimizer.stepCount());
        }
    }

    public static Loaded load(Path path) {
        if (!Files.exists(path)) {
            throw new BadInputException("no such checkpoint: " + path);
        }
        Safetensors.Contents c = Safetensors.read(path);
        Map<String, String> meta = c.metadata();
        String kind = meta.get(KEY_KIND);
        if (kind != null && !kind.equals(KIND_IMAGE)) {
            throw new BadInputException(path + " holds a " + kind + ", not an image classifier");
        }
        boolean reference = !meta.containsKey(KEY_MODEL);
        ImageModelConfig config = reference ? inferConfig(path, c.tensors()) : parse(path, meta.get(KEY_MODEL), ImageModelConfig.class);
        BilinearClassifier model;
        try {
            model = BilinearClassifier.fromTensors(config, c.tensors());
        } catch (BadInputException e) {
            throw new BadInputException(path + ": " + e.getMessage());
        }
        checkFinite(path, c.tensors());
        TrainConfig train = meta.containsKey(KEY_TRAIN) ? parse(path, meta.get(KEY_TRAIN), TrainConfig.class) : null;
        List<EpochRecord> history = meta.containsKey(KEY_HISTORY)
                ? parse(path, meta.get(KEY_HISTORY), new TypeToken<List<EpochRecord>>() { }.getType()) : new ArrayList<>();
        int epochs = (int) number(path, meta, KEY_EPOCHS);
        long steps = number(path, meta, KEY_STEPS);
        return new Loaded(model, train, history == null ? new ArrayList<>() : new ArrayList<>(history), epochs, steps, reference, meta);
    }

    /** Restores the optimizer state saved beside {@code path}, checking it belongs to that checkpoint. */
    public static void loadOptimizer(Path path, Loaded loaded, AdamW optimizer) {
        Path state = statePath(path);
        if (!Files.exists(state)) {
            throw new BadInputException("cannot resume from " + path + ": its optimizer state " + state.getFileName()
                    + " is missing (was it written by 'train'?)");
        }
        Safetensors.Contents c = Safetensors.read(state);
        long steps = number(state, c.metadata(), KEY_STEPS);
        long epochs = number(state, c.metadata(), KEY_EPOCHS);
        if (steps != loaded.stepsDone() || epochs != loaded.epochsDone()) {
            throw new BadInputException("cannot resume: " + state.getFileName() + " is from epoch " + epochs + " (step " + steps
                    + ") but " + path.getFileName() + " from epoch " + loaded.epochsDone() + " (step " + loaded.stepsDone() + ")");
        }
        checkFinite(state, c.tensors());
        optimizer.restore(c.tensors(), steps, loaded.model().parameters());
    }

    private static long number(Path path, Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null) {
            return 0;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new BadInputException(path + ": metadata " + key + " is not a number: '" + v + "'");
        }
    }

    private static <T> T parse(Path path, String json, java.lang.reflect.Type type) {
        try {
            T value = GSON.fromJson(json, type);
            if (value == null) {
                throw new BadInputException(path + ": empty metadata");
            }
            return value;
        } catch (JsonParseException | IllegalArgumentException e) {
            throw new BadInputException(path + ": unreadable metadata (" + e.getMessage() + ")");
        }
    }

    private static final Pattern BLOCK = Pattern.compile("blocks\\.(\\d+)\\.(weight|bias)");

    /**
     * The architecture of a reference PyTorch state dict, from its names and shapes:
     * {@code embed.weight [H, D]}, {@code blocks.i.weight [2H, H]} (and {@code .bias}),
     * {@code head.weight [O, H]}. Without metadata the gate is taken to be bilinear and blocks
     * not residual (the reference image model).
     */
    static ImageModelConfig inferConfig(Path path, Map<String, Tensor> tensors) {
        Tensor embed = tensors.get("embed.weight"), head = tensors.get("head.weight");
        if (embed == null || head == null || embed.shape().rank() != 2 || head.shape().rank() != 2) {
            throw new BadInputException(path + " is not a bilinear image classifier: expected embed.weight [h, d], "
                    + "blocks.{i}.weight [2h, h] and head.weight [classes, h]; found " + tensors.keySet());
        }
        int layers = 0;
        boolean bias = false;
        for (String name : tensors.keySet()) {
            Matcher m = BLOCK.matcher(name);
            if (m.matches()) {
                layers = Math.max(layers, Integer.parseInt(m.group(1)) + 1);
                bias |= m.group(2).equals("bias");
            }
        }
        try {
            return new ImageModelConfig(embed.cols(), embed.rows(), head.rows(), layers, false, Gate.NONE, bias);
        } catch (BadInputException e) {
            throw new BadInputException(path + ": " + e.getMessage());
        }
    }

    private static void checkFinite(Path path, Map<String, Tensor> tensors) {
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            float[] d = e.getValue().data();
            for (int i = 0, n = e.getValue().size(); i < n; i++) {
                if (!Float.isFinite(d[i])) {
                    throw new BadInputException(path + ": tensor '" + e.getKey() + "' contains " + d[i] + " at index " + i);
                }
            }
        }
    }
}
