package bilinear.engine.lm;

import bilinear.engine.BadInputException;
import bilinear.engine.autograd.Parameter;
import bilinear.engine.autograd.Parameters;
import bilinear.engine.autograd.Tape;
import bilinear.engine.autograd.Variable;
import bilinear.engine.ops.Add;
import bilinear.engine.ops.CausalSelfAttention;
import bilinear.engine.ops.Embedding;
import bilinear.engine.ops.GatedProduct;
import bilinear.engine.ops.GaussianNoise;
import bilinear.engine.ops.Linear;
import bilinear.engine.ops.RmsNorm;
import bilinear.linalg.CounterRng;
import bilinear.linalg.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The transformer language model, with the reference PyTorch parameter names:
 *
 * <pre>
 *   transformer.wte.weight             [V, D]     token embedding
 *   transformer.h.i.attn.qkv.weight    [3D, D]    rows q | k | v, head after head
 *   transformer.h.i.attn.o.weight      [D, D]
 *   transformer.h.i.mlp.w.weight       [2H, D]    rows: left W, then right V
 *   transformer.h.i.mlp.p.weight       [D, H]
 *   lm_head.weight                     [V, D]     untied unembedding
 *
 *   x = wte[ids]
 *   block i:  x += s·o(Attn(qkv(N(x))));   m = N(x);   x += p(σ(W m) ⊙ (V m))
 *   logits = lm_head(N(x))
 * </pre>
 * N is RMSNorm without gain ({@code x/sqrt(mean(x²) + 1e-8)}), s = 1/√(2·layers), attention is
 * causal with rotary embeddings, there are no biases. The MLP input {@code m} is what the
 * interaction matrices are exact with respect to. Without norms, N is the identity (plus latent
 * noise while training).
 */
public final class Transformer {
    private final LmConfig config;
    private final Map<String, Parameter> params;
    private final Tensor cos;
    private final Tensor sin;

    private Transformer(LmConfig config, Map<String, Parameter> params) {
        this.config = config;
        this.params = params;
        Tensor[] rope = CausalSelfAttention.rotaryTables(config.context(), config.headSize());
        this.cos = rope[0];
        this.sin = rope[1];
    }

    public static Map<String, int[]> expectedShapes(LmConfig c) {
        Map<String, int[]> s = new LinkedHashMap<>();
        int d = c.dModel();
        s.put("transformer.wte.weight", new int[] {c.vocab(), d});
        for (int i = 0; i < c.layers(); i++) {
            String p = "transformer.h." + i + ".";
            s.put(p + "attn.qkv.weight", new int[] {3 * d, d});
            s.put(p + "attn.o.weight", new int[] {d, d});
            s.put(p + "mlp.w.weight", new int[] {2 * c.dHidden(), d});
            s.put(p + "mlp.p.weight", new int[] {d, c.dHidden()});
        }
        s.put("lm_head.weight", new int[] {c.vocab(), d});
        return s;
    }

    /** Every weight ~ N(0, 0.02²), one counter-based stream per tensor (the reference's init). */
    public static Transformer initialise(LmConfig config, long seed) {
        Map<String, Parameter> params = new LinkedHashMap<>();
        int stream = 0;
        for (Map.Entry<String, int[]> e : expectedShapes(config).entrySet()) {
            Tensor t = Tensor.zeros(e.getValue());
            long s = CounterRng.split(seed, stream++);
            for (int i = 0; i < t.size(); i++) {
                t.data()[i] = 0.02f * CounterRng.gaussian(s, i);
            }
            params.put(e.getKey(), new Parameter(e.getKey(), t));
        }
        return new Transformer(config, params);
    }

    public static Transformer fromTensors(LmConfig config, Map<String, Tensor> tensors) {
        return new Transformer(config, Parameters.fromTensors(expectedShapes(config), tensors, config.describe()));
    }

    public LmConfig config() {
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

    public long parameterCount() {
        return params.values().stream().mapToLong(p -> p.value().size()).sum();
    }

    /** {@code mlp.w.weight [2H, D]} of a layer: W (rows 0..H−1) then V. */
    public Tensor mlpIn(int layer) {
        return parameter("transformer.h." + layer + ".mlp.w.weight").value();
    }

    /** {@code mlp.p.weight [D, H]} of a layer. */
    public Tensor mlpOut(int layer) {
        return parameter("transformer.h." + layer + ".mlp.p.weight").value();
    }

    public Tensor embedding() {
        return parameter("transformer.wte.weight").value();
    }

    public Tensor unembedding() {
        return parameter("lm_head.weight").value();
    }

    /** Training noise: latent noise of scale {@code latent} replaces/adds to each N(x); 0 = none. */
    public record Noise(float latent, long seed) {
        public static final Noise NONE = new Noise(0f, 0L);
    }

    /**
     * Logits {@code [B·T, V]} for {@code batch} sequences whose ids are the first B·T entries of
     * {@code ids} (row-major by sequence). {@code hooks} see and may replace MLP inputs and outputs.
     */
    public Variable forward(Tape tape, int[] ids, int batch, int tokensPerSequence, Noise noise, Hooks hooks) {
        int n = batch * tokensPerSequence;
        if (tokensPerSequence > config.context()) {
            throw new BadInputException("sequence of " + tokensPerSequence + " tokens is longer than the context " + config.context());
        }
        Variable x = Embedding.apply(tape, parameter("transformer.wte.weight"), ids, n);
        int site = 0;
        for (int i = 0; i < config.layers(); i++) {
            String p = "transformer.h." + i + ".";
            Variable a = norm(tape, x, noise, site++);
            Variable qkv = Linear.apply(tape, a, parameter(p + "attn.qkv.weight"), null);
            Variable z = CausalSelfAttention.apply(tape, qkv, batch, config.heads(), cos, sin);
            Variable o = Linear.apply(tape, z, parameter(p + "attn.o.weight"), null);
            x = Add.apply(tape, x, o, config.attentionScale());
            Variable m = hooks.mlpInput(tape, i, norm(tape, x, noise, site++));
            Variable h = Linear.apply(tape, m, parameter(p + "mlp.w.weight"), null);
            Variable g = GatedProduct.apply(tape, h, config.gate());
            Variable y = hooks.mlpOutput(tape, i, Linear.apply(tape, g, parameter(p + "mlp.p.weight"), null));
            x = Add.apply(tape, x, y);
        }
        return Linear.apply(tape, norm(tape, x, noise, site), parameter("lm_head.weight"), null);
    }

    private Variable norm(Tape tape, Variable x, Noise noise, int site) {
        Variable y = config.norm() ? RmsNorm.apply(tape, x, RmsNorm.DEFAULT_EPS) : x;
        if (noise.latent() > 0) {
            y = GaussianNoise.latent(tape, y, noise.latent(), CounterRng.split(noise.seed(), site));
        }
        return y;
    }
}
