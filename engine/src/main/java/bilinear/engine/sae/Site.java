package bilinear.engine.sae;

import bilinear.engine.BadInputException;
import java.util.Locale;

/**
 * Where in a language model an SAE reads its activations: the input of layer {@code layer}'s MLP
 * (the normalised residual the interaction matrices act on) or that MLP's output.
 */
public record Site(int layer, Point point) {
    public enum Point { MLP_IN, MLP_OUT }

    public static Site parse(int layer, String point) {
        Point p = switch (point.trim().toLowerCase(Locale.ROOT)) {
            case "mlp-in", "mlp_in", "in" -> Point.MLP_IN;
            case "mlp-out", "mlp_out", "out" -> Point.MLP_OUT;
            default -> throw new BadInputException("unknown site '" + point + "' (expected mlp-in or mlp-out)");
        };
        return new Site(layer, p);
    }

    public String describe() {
        return "layer " + layer + " " + (point == Point.MLP_IN ? "MLP input" : "MLP output");
    }
}
