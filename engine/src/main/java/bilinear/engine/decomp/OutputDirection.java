package bilinear.engine.decomp;

import bilinear.engine.BadInputException;
import bilinear.engine.io.Safetensors;
import bilinear.linalg.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A direction {@code u} in a classifier's output space: the logit read is {@code u·y(x)}. Since
 * {@code Q(u)} is linear in {@code u}, a difference of classes {@code e_a − e_b} gives the matrix
 * of "why a rather than b"; any vector can be read from a file.
 *
 * <p>Spelled on the command line as {@code 3} or {@code class:3} (one class), {@code 3-5} or
 * {@code diff:3-5} (class 3 minus class 5), or {@code file:PATH} (a text file of numbers separated
 * by spaces, commas or newlines; {@code #} starts a comment; or a safetensors file holding one
 * tensor).
 *
 * @param name   a short label for files and captions ({@code class3}, {@code 3-5}, the file stem)
 * @param vector {@code u [O]}
 */
public record OutputDirection(String name, double[] vector) {

    public static OutputDirection ofClass(int c, int outputs) {
        checkClass(c, outputs);
        double[] u = new double[outputs];
        u[c] = 1;
        return new OutputDirection("class" + c, u);
    }

    public static OutputDirection difference(int a, int b, int outputs) {
        checkClass(a, outputs);
        checkClass(b, outputs);
        if (a == b) {
            throw new BadInputException("direction " + a + "-" + b + " is zero: the two classes must differ");
        }
        double[] u = new double[outputs];
        u[a] = 1;
        u[b] = -1;
        return new OutputDirection(a + "-" + b, u);
    }

    /** Every class direction {@code e_0 … e_{O−1}}. */
    public static List<OutputDirection> classes(int outputs) {
        List<OutputDirection> all = new ArrayList<>();
        for (int c = 0; c < outputs; c++) {
            all.add(ofClass(c, outputs));
        }
        return all;
    }

    private static final Pattern CLASS = Pattern.compile("(?:class:)?(\\d+)");
    private static final Pattern DIFF = Pattern.compile("(?:diff:)?(\\d+)-(\\d+)");

    /** Parses a command-line spelling (see the class comment) for a model with {@code outputs} outputs. */
    public static OutputDirection parse(String spec, int outputs) {
        String s = spec.trim();
        Matcher m = CLASS.matcher(s);
        if (m.matches()) {
            return ofClass(parseIndex(m.group(1), spec), outputs);
        }
        m = DIFF.matcher(s);
        if (m.matches()) {
            return difference(parseIndex(m.group(1), spec), parseIndex(m.group(2), spec), outputs);
        }
        if (s.startsWith("file:")) {
            return fromFile(Path.of(s.substring("file:".length())), outputs);
        }
        throw new BadInputException("cannot read direction '" + spec + "': expected a class (3 or class:3), a difference "
                + "(3-5 or diff:3-5) or file:PATH");
    }

    /** Reads {@code u} from a text file of numbers or a safetensors file with a single tensor. */
    public static OutputDirection fromFile(Path path, int outputs) {
        if (!Files.isRegularFile(path)) {
            throw new BadInputException("no such direction file: " + path);
        }
        double[] u;
        if (path.getFileName().toString().endsWith(".safetensors")) {
            Map<String, Tensor> t = Safetensors.read(path).tensors();
            if (t.size() != 1) {
                throw new BadInputException("direction file " + path + " must hold exactly one tensor, found " + t.keySet());
            }
            Tensor v = t.values().iterator().next();
            u = new double[v.size()];
            for (int i = 0; i < u.length; i++) {
                u[i] = v.data()[i];
            }
        } else {
            u = readNumbers(path);
        }
        if (u.length != outputs) {
            throw new BadInputException("direction file " + path + " has " + u.length + " values but the model has "
                    + outputs + " outputs");
        }
        boolean zero = true;
        for (double x : u) {
            if (!Double.isFinite(x)) {
                throw new BadInputException("direction file " + path + " contains " + x);
            }
            zero &= x == 0;
        }
        if (zero) {
            throw new BadInputException("direction file " + path + " is all zeros");
        }
        String stem = path.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        return new OutputDirection(stem.isEmpty() ? "file" : stem, u);
    }

    private static double[] readNumbers(Path path) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException("cannot read direction file " + path + ": " + e.getMessage());
        }
        List<Double> values = new ArrayList<>();
        for (int ln = 0; ln < lines.size(); ln++) {
            String line = lines.get(ln).replaceFirst("#.*", "").trim();
            if (line.isEmpty()) {
                continue;
            }
            for (String tok : line.split("[\\s,;]+")) {
                if (tok.isEmpty()) {
                    continue;
                }
                try {
                    values.add(Double.parseDouble(tok));
                } catch (NumberFormatException e) {
                    throw new BadInputException("direction file " + path + ", line " + (ln + 1) + ": '" + tok + "' is not a number");
                }
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static int parseIndex(String digits, String spec) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new BadInputException("cannot read direction '" + spec + "': class index too large");
        }
    }

    private static void checkClass(int c, int outputs) {
        if (c < 0 || c >= outputs) {
            throw new BadInputException("class " + c + " does not exist: the model has " + outputs + " outputs (0–"
                    + (outputs - 1) + ")");
        }
    }
}
