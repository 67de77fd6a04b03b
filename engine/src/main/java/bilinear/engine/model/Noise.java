package bilinear.engine.model;

/**
 * Training-time noise for one step: {@code input} is the std of Gaussian noise added to pixels,
 * {@code latent} the scale of {@code latent·std(h)·ε} added after each gated block, {@code seed}
 * this step's stream. {@link #NONE} for evaluation.
 */
public record Noise(float input, float latent, long seed) {
    public static final Noise NONE = new Noise(0f, 0f, 0L);

    public boolean any() {
        return input > 0 || latent > 0;
    }
}
