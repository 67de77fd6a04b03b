package bilinear.engine.report;

import java.util.ArrayList;
import java.util.List;

/** Human names of a dataset's classes, for captions and tables. */
public final class ClassNames {
    private ClassNames() {
    }

    private static final List<String> FASHION = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** Fashion-MNIST's item names, digits for MNIST, "class i" otherwise. */
    public static List<String> of(String dataset, int classes) {
        List<String> out = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            if ("fashion-mnist".equals(dataset) && classes == FASHION.size()) {
                out.add(FASHION.get(c));
            } else if (dataset != null && dataset.startsWith("mnist") && classes == 10) {
                out.add("digit " + c);
            } else {
                out.add("class " + c);
            }
        }
        return out;
    }
}
