package bilinear.engine.lm;

import bilinear.engine.BadInputException;
import bilinear.engine.autograd.Tape;
import bilinear.engine.text.BpeTokenizer;
import bilinear.linalg.Backend;
import bilinear.linalg.CounterRng;
import bilinear.linalg.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Generates text: runs the model on the last {@code context} tokens, takes the logits of the last
 * position, keeps the {@code topK} largest (0 = all), divides by the temperature (0 = greedy),
 * samples, appends, repeats. Seeded, so the same call gives the same text.
 */
public final class Sampler {
    private Sampler() {
    }

    public static String generate(Transformer model, BpeTokenizer tokenizer, String prompt, int tokens, double temperature,
                                  int topK, long seed, Backend backend) {
        if (tokens < 0 || temperature < 0 || topK < 0) {
            throw new BadInputException("--tokens, --temperature and --top-k must not be negative");
        }
        int ctx = model.config().context();
        int[] promptIds = tokenizer.encode(prompt);
        if (promptIds.length == 0) {
            throw new BadInputException("the prompt is empty; give at least one character");
        }
        int[] seq = Arrays.copyOf(promptIds, promptIds.length + tokens);
        int n = promptIds.length;
        SplittableRandom rnd = new SplittableRandom(CounterRng.split(seed, 0x53414D50L));
        Tape tape = new Tape(backend);
        int vocab = model.config().vocab();
        double[] p = new double[vocab];
        for (int k = 0; k < tokens; k++) {
            int from = Math.max(0, n - ctx), len = n - from;
            int[] window = Arrays.copyOfRange(seq, from, n);
            tape.reset(false);
            Tensor logits = model.forward(tape, window, 1, len, Transformer.Noise.NONE, Hooks.NONE).value();
            float[] last = Arrays.copyOfRange(logits.data(), (len - 1) * vocab, len * vocab);
            seq[n++] = pick(last, temperature, topK, rnd, p);
        }
        return tokenizer.decode(seq, promptIds.length, n);
    }

    static int pick(float[] logits, double temperature, int topK, SplittableRandom rnd, double[] p) {
        int v = logits.length;
        if (temperature == 0) {
            int best = 0;
            for (int i = 1; i < v; i++) {
                if (logits[i] > logits[best]) {
                    best = i;
                }
            }
            return best;
        }
        float threshold = Float.NEGATIVE_INFINITY;
        if (topK > 0 && topK < v) {
            float[] sorted = logits.clone();
            Arrays.sort(sorted);
            threshold = sorted[v - topK];
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (int i = 0; i < v; i++) {
            p[i] = logits[i] >= threshold ? Math.exp((logits[i] - max) / temperature) : 0;
            sum += p[i];
        }
        double u = rnd.nextDouble() * sum;
        for (int i = 0; i < v; i++) {
            u -= p[i];
            if (u <= 0 && p[i] > 0) {
                return i;
            }
        }
        for (int i = v - 1; i >= 0; i--) {
            if (p[i] > 0) {
                return i;
            }
        }
        return 0;
    }
}
