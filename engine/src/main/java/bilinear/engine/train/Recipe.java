package bilinear.engine.train;

import bilinear.engine.BadInputException;
import java.util.Locale;

/**
 * Named sets of training defaults; every value can still be overridden option by option.
 *
 * <ul>
 *   <li>{@code demo}: the bundled digits in seconds. The PyTorch reference's recipe for the 10k
 *       digits (d = 256, batch 128, AdamW lr 1e-3, weight decay 0.5, input noise 0.33, cosine,
 *       20 epochs), which reaches 0.9615 there.
 *   <li>{@code paper}: the ICLR paper's image setup (d = 512, batch 2048, AdamW lr 1e-3, weight
 *       decay 1.0, input noise 0.5, cosine over 30 epochs).
 * </ul>
 */
public record Recipe(String name, int hidden, int epochs, int batch, float lr, float weightDecay, float noise,
                     float latentNoise, String schedule) {
    public static final Recipe DEMO = new Recipe("demo", 256, 20, 128, 1e-3f, 0.5f, 0.33f, 0f, "cosine");
    public static final Recipe PAPER = new Recipe("paper", 512, 30, 2048, 1e-3f, 1.0f, 0.5f, 0f, "cosine");

    public static Recipe named(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "demo" -> DEMO;
            case "paper" -> PAPER;
            default -> throw new BadInputException("unknown recipe '" + name + "' (expected demo or paper)");
        };
    }
}
