package bilinear.linalg;

/**
 * A counter-based random generator: the value at index {@code i} is a pure function of
 * {@code (seed, i)}. Any thread can produce any slice, so noise is identical for every thread
 * count and every vector width, and a training run is reproducible from its seed alone.
 *
 * <p>Bits come from a 32-bit integer hash (murmur3's finaliser applied to the index mixed with
 * the seed, twice with different keys). Gaussians come from Box–Muller using the cosine branch:
 * {@code ε = sqrt(−2 ln u₁)·cos(2π u₂)}, {@code u₁ ∈ (0, 1]}, {@code u₂ ∈ [0, 1)}, 24-bit uniforms.
 * The SIMD backend evaluates the same integer hash lane-wise, so only the rounding of log and cos
 * can differ from this reference.
 */
public final class CounterRng {
    private CounterRng() {
    }

    /** Two 32-bit keys derived from a 64-bit seed (SplitMix64 steps). */
    public static int key1(long seed) {
        return (int) (mix64(seed + 0x9E3779B97F4A7C15L) >>> 32);
    }

    public static int key2(long seed) {
        return (int) mix64(seed + 0x3C6EF372FE94F82AL);
    }

    /** Derives an independent seed for a sub-stream (for example one training step). */
    public static long split(long seed, long stream) {
        return mix64(seed ^ mix64(stream + 0x632BE59BD9B4E019L));
    }

    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** murmur3 fmix32 of {@code i ^ key}, then multiplied by the key-dependent odd constant. */
    public static int hash(int i, int key) {
        int h = i ^ key;
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return h;
    }

    /** Uniform in (0, 1] from the top 24 bits. */
    public static float uniformOpen0(int bits) {
        return ((bits >>> 8) + 1) * 0x1.0p-24f;
    }

    /** Uniform in [0, 1) from the top 24 bits. */
    public static float uniform(int bits) {
        return (bits >>> 8) * 0x1.0p-24f;
    }

    /** The standard normal at index {@code i} of the stream {@code seed}. */
    public static float gaussian(int k1, int k2, int i) {
        float u1 = uniformOpen0(hash(i, k1));
        float u2 = uniform(hash(i, k2));
        return (float) (Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2));
    }

    public static float gaussian(long seed, int i) {
        return gaussian(key1(seed), key2(seed), i);
    }
}
