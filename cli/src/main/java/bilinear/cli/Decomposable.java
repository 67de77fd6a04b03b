package bilinear.cli;

import bilinear.engine.BadInputException;
import bilinear.engine.decomp.BlockWeights;
import bilinear.engine.io.Checkpoint;
import bilinear.engine.model.ImageModelConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Checks shared by the decomposition commands, run before any work starts. */
final class Decomposable {
    private Decomposable() {
    }

    /** Loads a checkpoint (ours or a reference PyTorch state dict) and refuses one that cannot be decomposed. */
    static Checkpoint.Loaded load(Path checkpoint) {
        Checkpoint.Loaded loaded = Checkpoint.load(checkpoint);
        try {
            BlockWeights.checkDecomposable(loaded.model().config());
        } catch (BadInputException e) {
            throw new BadInputException(checkpoint + ": " + e.getMessage());
        }
        return loaded;
    }

    /** Eigenvectors per class: the last block's input width, plus the constant input when augmented. */
    static int eigenvectors(ImageModelConfig c) {
        return c.hidden() + (BlockWeights.augmented(c) ? 1 : 0);
    }

    /** Parses {@code 20}, {@code 1-30} or {@code 1,5,10,20} into a list of k. */
    static int[] parseKs(String spec) {
        List<Integer> ks = new ArrayList<>();
        try {
            for (String part : spec.split(",")) {
                String p = part.trim();
                int dash = p.indexOf('-', 1);
                if (dash > 0) {
                    int from = Integer.parseInt(p.substring(0, dash).trim()), to = Integer.parseInt(p.substring(dash + 1).trim());
                    if (to < from || to - from > 100_000) {
                        throw new BadInputException("--k range '" + p + "' must go from a smaller k to a larger one");
                    }
                    for (int k = from; k <= to; k++) {
                        ks.add(k);
                    }
                } else {
                    ks.add(Integer.parseInt(p));
                }
            }
        } catch (NumberFormatException e) {
            throw new BadInputException("--k must be a number, a range like 1-30 or a list like 1,5,10; got '" + spec + "'");
        }
        return ks.stream().mapToInt(Integer::intValue).toArray();
    }
}
