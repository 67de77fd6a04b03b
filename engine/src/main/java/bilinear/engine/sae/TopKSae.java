package bilinear.engine.sae;

import bilinear.engine.BadInputException;
import bilinear.engine.autograd.Parameter;
import bilinear.engine.autograd.Tape;
import bilinear.engine.autograd.Variable;
import bilinear.engine.ops.Linear;
import bilinear.engine.ops.RowBias;
import bilinear.engine.ops.TopK;
import bilinear.linalg.Backend;
import bilinear.linalg.CounterRng;
import bilinear.linalg.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A top-k sparse autoencoder over activations of width D with M = expansion·D latents:
 *
 * <pre>
 *   z = TopK_k( W_enc·(x − b_dec) + b_enc )      encoder.weight [M, D], encoder.bias [M]
 *   x̂ = W_dec·z + b_dec                          decoder.weight [D, M], decoder.bias (b_dec) [D]
 * </pre>
 * Decoder columns (one per latent) are kept at unit norm; the encoder starts as the decoder's
 * transpose and b_dec at the data mean. An output feature's direction for circuit analysis is
 * its encoder row {@code W_enc[j, :]}; an input feature's direction its decoder column.
 */
public final class TopKSae {
    public record Config(int width, int latents, int k, Site site) {
        public Config {
            if (width < 1 || latents < 1 || k < 1 || k > latents) {
                throw new BadInputException("invalid SAE: width " + width + ", latents " + latents + ", k " + k
                        + " (need 1 ≤ k ≤ latents)");
            }
        }
    }

    private final Config config;
    private final Map<String, Parameter> params;

    private TopKSae(Config config, Map<String, Parameter> params) {
        this.config = config;
        this.params = params;
    }

    public static TopKSae initialise(Config c, Tensor mean, long seed) {
        Tensor dec = Tensor.zeros(c.width(), c.latents());
        for (int i = 0; i < dec.size(); i++) {
            dec.data()[i] = CounterRng.gaussian(seed, i);
        }
        Tensor enc = Tensor.zeros(c.latents(), c.width());
        Map<String, Parameter> p = new LinkedHashMap<>();
        p.put("encoder.weight", new Parameter("encoder.weight", enc));
        p.put("encoder.bias", new Parameter("encoder.bias", Tensor.zeros(c.latents())));
        p.put("decoder.weight", new Parameter("decoder.weight", dec));
        p.put("decoder.bias", new Parameter("decoder.bias", mean.copy().reshape(c.width())));
        TopKSae sae = new TopKSae(c, p);
        sae.normaliseDecoder();
        // encoder = decoderᵀ
        for (int d = 0; d < c.width(); d++) {
            for (int j = 0; j < c.latents(); j++) {
                enc.data()[j * c.width() + d] = dec.data()[d * c.latents() + j];
            }
        }
        return sae;
    }

    public static TopKSae fromTensors(Config c, Map<String, Tensor> tensors) {
        Map<String, Parameter> p = new LinkedHashMap<>();
        int[][] shapes = {{c.latents(), c.width()}, {c.latents()}, {c.width(), c.latents()}, {c.width()}};
        String[] names = {"encoder.weight", "encoder.bias", "decoder.weight", "decoder.bias"};
        for (int i = 0; i < names.length; i++) {
            Tensor t = tensors.get(names[i]);
            if (t == null || !java.util.Arrays.equals(t.shape().dims(), shapes[i])) {
                throw new BadInputException("SAE tensor '" + names[i] + "' is " + (t == null ? "missing" : t.shape())
                        + ", expected " + java.util.Arrays.toString(shapes[i]));
            }
            p.put(names[i], new Parameter(names[i], t));
        }
        return new TopKSae(c, p);
    }

    public Config config() {
        return config;
    }

    public List<Parameter> parameters() {
        return List.copyOf(params.values());
    }

    public Tensor encoderWeight() {
        return params.get("encoder.weight").value();
    }

    public Tensor encoderBias() {
        return params.get("encoder.bias").value();
    }

    public Tensor decoderWeight() {
        return params.get("decoder.weight").value();
    }

    public Tensor decoderBias() {
        return params.get("decoder.bias").value();
    }

    /** Latent activations {@code z [N, M]}. */
    public Variable encode(Tape tape, Variable x) {
        Variable centred = RowBias.apply(tape, x, params.get("decoder.bias"), -1f);
        Variable pre = Linear.apply(tape, centred, params.get("encoder.weight"), params.get("encoder.bias"));
        return TopK.apply(tape, pre, config.k());
    }

    /** Reconstruction {@code x̂ [N, D]} from latents. */
    public Variable decode(Tape tape, Variable z) {
        return Linear.apply(tape, z, params.get("decoder.weight"), params.get("decoder.bias"));
    }

    public Variable reconstruct(Tape tape, Variable x) {
        return decode(tape, encode(tape, x));
    }

    /** Rescales every decoder column to unit length (after each update). */
    public void normaliseDecoder() {
        Tensor w = decoderWeight();
        int d = config.width(), m = config.latents();
        double[] norms = new double[m];
        float[] a = w.data();
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < m; j++) {
                norms[j] += (double) a[i * m + j] * a[i * m + j];
            }
        }
        for (int j = 0; j < m; j++) {
            norms[j] = norms[j] > 0 ? 1 / Math.sqrt(norms[j]) : 0;
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < m; j++) {
                a[i * m + j] *= (float) norms[j];
            }
        }
    }

    /** Mean over rows of a [N, D] tensor (for b_dec's start). */
    public static Tensor rowMean(Backend be, Tensor x) {
        Tensor mean = Tensor.zeros(x.cols());
        be.sumRows(x, 0f, mean);
        be.axpby(1f / x.rows(), mean, 0f, mean);
        return mean;
    }
}
