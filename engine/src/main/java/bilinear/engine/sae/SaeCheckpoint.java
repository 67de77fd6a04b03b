package bilinear.engine.sae;

import bilinear.engine.BadInputException;
import bilinear.engine.io.Safetensors;
import bilinear.linalg.Tensor;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** SAEs as safetensors: the four tensors, and in the metadata the config, the model it reads and its metrics. */
public final class SaeCheckpoint {
    private SaeCheckpoint() {
    }

    static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();
    public static final String KIND = "sparse-autoencoder";

    public record Loaded(TopKSae sae, String model, SaeTrainer.Metrics metrics) {
    }

    public static void save(Path path, TopKSae sae, String model, SaeTrainer.Metrics metrics) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        sae.parameters().forEach(p -> t.put(p.name(), p.value()));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("bilinear.kind", KIND);
        meta.put("bilinear.sae", GSON.toJson(sae.config()));
        meta.put("bilinear.model", model);
        if (metrics != null) {
            meta.put("bilinear.metrics", GSON.toJson(metrics));
        }
        Safetensors.write(path, t, meta);
    }

    public static Loaded load(Path path) {
        if (!Files.exists(path)) {
            throw new BadInputException("no such SAE: " + path);
        }
        Safetensors.Contents c = Safetensors.read(path);
        if (!KIND.equals(c.metadata().get("bilinear.kind"))) {
            throw new BadInputException(path + " is not a sparse autoencoder written by 'sae train'");
        }
        try {
            TopKSae.Config config = GSON.fromJson(c.metadata().get("bilinear.sae"), TopKSae.Config.class);
            SaeTrainer.Metrics m = c.metadata().containsKey("bilinear.metrics")
                    ? GSON.fromJson(c.metadata().get("bilinear.metrics"), SaeTrainer.Metrics.class) : null;
            return new Loaded(TopKSae.fromTensors(config, c.tensors()), c.metadata().get("bilinear.model"), m);
        } catch (JsonParseException | NullPointerException e) {
            throw new BadInputException(path + ": unreadable SAE metadata (" + e.getMessage() + ")");
        } catch (BadInputException e) {
            throw new BadInputException(path + ": " + e.getMessage());
        }
    }
}
