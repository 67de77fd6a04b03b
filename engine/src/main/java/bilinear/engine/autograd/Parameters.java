package bilinear.engine.autograd;

import bilinear.engine.BadInputException;
import bilinear.linalg.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds a model's named parameters from loaded tensors, refusing anything but the exact names and shapes expected. */
public final class Parameters {
    private Parameters() {
    }

    /**
     * Parameters in the order of {@code expected} (name → shape); a missing tensor, a wrong shape or
     * an extra tensor is a one-line error that names the architecture ({@code model}).
     */
    public static Map<String, Parameter> fromTensors(Map<String, int[]> expected, Map<String, Tensor> tensors, String model) {
        Map<String, Parameter> params = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            Tensor t = tensors.get(e.getKey());
            if (t == null) {
                throw new BadInputException("missing tensor '" + e.getKey() + "' for a " + model);
            }
            if (!Arrays.equals(t.shape().dims(), e.getValue())) {
                throw new BadInputException("tensor '" + e.getKey() + "' has shape " + t.shape() + ", expected "
                        + Arrays.toString(e.getValue()) + " for a " + model);
            }
            params.put(e.getKey(), new Parameter(e.getKey(), t));
        }
        for (String name : tensors.keySet()) {
            if (!expected.containsKey(name)) {
                throw new BadInputException("unexpected tensor '" + name + "' for a " + model);
            }
        }
        return params;
    }
}
