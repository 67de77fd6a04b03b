package bilinear.linalg;

/**
 * The gate σ of a gated linear unit {@code σ(Wx) ⊙ (Vx)}. {@code NONE} is the bilinear layer.
 * These scalar definitions are the reference every backend is checked against.
 */
public enum Gate {
    /** σ(a) = a: the bilinear layer. */
    NONE,
    /** σ(a) = max(a, 0): ReGLU. */
    RELU,
    /** σ(a) = a·sigmoid(a): SwiGLU. */
    SILU,
    /** σ(a) = a·Φ(a), tanh approximation (PyTorch {@code approximate='tanh'}): GeGLU. */
    GELU;

    static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);
    static final double GELU_C = 0.044715;

    public double apply(double a) {
        return switch (this) {
            case NONE -> a;
            case RELU -> a > 0 ? a : 0;
            case SILU -> a / (1 + Math.exp(-a));
            case GELU -> 0.5 * a * (1 + Math.tanh(SQRT_2_OVER_PI * (a + GELU_C * a * a * a)));
        };
    }

    /** dσ/da. */
    public double derivative(double a) {
        return switch (this) {
            case NONE -> 1;
            case RELU -> a > 0 ? 1 : 0;
            case SILU -> {
                double s = 1 / (1 + Math.exp(-a));
                yield s * (1 + a * (1 - s));
            }
            case GELU -> {
                double u = SQRT_2_OVER_PI * (a + GELU_C * a * a * a);
                double t = Math.tanh(u);
                double du = SQRT_2_OVER_PI * (1 + 3 * GELU_C * a * a);
                yield 0.5 * (1 + t) + 0.5 * a * (1 - t * t) * du;
            }
        };
    }

    /** Parses the CLI / metadata spelling: bilinear|none, relu|reglu, silu|swiglu, gelu|geglu. */
    public static Gate parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "none", "bilinear" -> NONE;
            case "relu", "reglu" -> RELU;
            case "silu", "swiglu", "swish" -> SILU;
            case "gelu", "geglu" -> GELU;
            default -> throw new IllegalArgumentException(
                    "unknown gate '" + s + "' (expected bilinear, reglu, swiglu or geglu)");
        };
    }
}
