package bilinear.engine.model;

import bilinear.engine.BadInputException;
import bilinear.engine.autograd.Parameter;
import bilinear.engine.autograd.Parameters;
import bilinear.engine.autograd.Tape;
import bilinear.engine.autograd.Variable;
import bilinear.engine.ops.Add;
import bilinear.engine.ops.GatedProduct;
import bilinear.engine.ops.GaussianNoise;
import bilinear.engine.ops.Linear;
import bilinear.linalg.CounterRng;
import bilinear.linalg.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The image classifier of the papers, with the reference PyTorch parameter names:
 *
 * <pre>
 *   x [B, D] ─embed.weight [H, D]→ h [B, H]
 *   for each block i:  z = h·W_iᵀ (+ b_i) [B, 2H];  g = σ(z_left) ⊙ z_right [B, H];  h = g (or h + g)
 *   h ─head.weight [O, H]→ logits [B, O]
 * </pre>
 *
 * {@code blocks.i.weight [2H, H]} holds W (left, rows 0..H−1) then V (right, rows H..2H−1).
 */
public final class BilinearClassifier {
    private final ImageModelConfig config;
    private final Map<String, Parameter> params;

    private BilinearClassifier(ImageModelConfig config, Map<String, Parameter> params) {
        this.config = config;
        this.params = params;
    }

    /** Names and shapes of every parameter, in a fixed order. */
    public static Map<String, int[]> expectedShapes(ImageModelConfig c) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        shapes.put("embed.weight", new int[] {c.hidden(), c.inputDim()});
        for (int i = 0; i < c.layers(); i++) {
            shapes.put("blocks." + i + ".weight", new int[] {2 * c.hidden(), c.hidden()});
            if (c.bias()) {
                shapes.put("blocks." + i + ".bias", new int[] {2 * c.hidden()});
            }
        }
        shapes.put("head.weight", new int[] {c.classes(), c.hidden()});
        return shapes;
    }

    /**
     * PyTorch's default {@code nn.Linear} initialisation: weights and biases uniform in
     * {@code ±1/sqrt(fan_in)}, drawn from the counter-based generator with one stream per tensor.
     */
    public static BilinearClassifier initialise(ImageModelConfig config, long seed) {
        Map<String, Parameter> params = new LinkedHashMap<>();
        int stream = 0;
        for (Map.Entry<String, int[]> e : expectedShapes(config).entrySet()) {
            int[] shape = e.getValue();
            String name = e.getKey();
            int fanIn = name.endsWith(".bias") ? config.hidden() : shape[1];
            Tensor t = Tensor.zeros(shape);
            float bound = (float) (1 / Math.sqrt(fanIn));
            int key = CounterRng.key1(CounterRng.split(seed, stream++));
            for (int i = 0; i < t.size(); i++) {
                t.data()[i] = bound * (2 * CounterRng.uniform(CounterRng.hash(i, key)) - 1);
            }
            params.put(name, new Parameter(name, t));
        }
        return new BilinearClassifier(config, params);
    }

    /** Builds a model from named tensors, checking that names and shapes are exactly the expected ones. */
    public static BilinearClassifier fromTensors(ImageModelConfig config, Map<String, Tensor> tensors) {
        return new BilinearClassifier(config, Parameters.fromTensors(expectedShapes(config), tensors, config.describe()));
    }

    public ImageModelConfig config() {
        return config;
    }

    public List<Parameter> parameters() {
        return Collections.unmodifiableList(new ArrayList<>(params.values()));
    }

    public Parameter parameter(String name) {
        Parameter p = params.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return p;
    }

    /** Total number of trainable floats. */
    public long parameterCount() {
        long n = 0;
        for (Parameter p : params.values()) {
            n += p.value().size();
        }
        return n;
    }

    /** {@code embed.weight [H, D]}. */
    public Tensor embed() {
        return parameter("embed.weight").value();
    }

    /** {@code blocks.i.weight [2H, H]}. */
    public Tensor block(int i) {
        return parameter("blocks." + i + ".weight").value();
    }

    /** {@code blocks.i.bias [2H]}, or null when the model has no biases. */
    public Tensor blockBias(int i) {
        Parameter p = params.get("blocks." + i + ".bias");
        return p == null ? null : p.value();
    }

    /** {@code head.weight [O, H]}. */
    public Tensor head() {
        return parameter("head.weight").value();
    }

    /** Logits {@code [B, O]} for images {@code x [B, D]}; noise only when {@code noise} asks for it. */
    public Variable forward(Tape tape, Variable x, Noise noise) {
        if (x.value().cols() != config.inputDim()) {
            throw new BadInputException("input has " + x.value().cols() + " features, the model expects " + config.inputDim());
        }
        Variable h = x;
        if (noise.input() > 0) {
            h = GaussianNoise.input(tape, h, noise.input(), CounterRng.split(noise.seed(), 0));
        }
        h = Linear.apply(tape, h, parameter("embed.weight"), null);
        for (int i = 0; i < config.layers(); i++) {
            Parameter bias = params.get("blocks." + i + ".bias");
            Variable z = Linear.apply(tape, h, parameter("blocks." + i + ".weight"), bias);
            Variable g = GatedProduct.apply(tape, z, config.gate());
            if (noise.latent() > 0) {
                g = GaussianNoise.latent(tape, g, noise.latent(), CounterRng.split(noise.seed(), i + 1));
            }
            h = config.residual() ? Add.apply(tape, h, g) : g;
        }
        return Linear.apply(tape, h, parameter("head.weight"), null);
    }
}
