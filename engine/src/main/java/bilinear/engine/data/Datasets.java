package bilinear.engine.data;

import bilinear.engine.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The datasets the tool knows by name.
 *
 * <ul>
 *   <li>{@code mnist10k}: 10,000 real MNIST digits bundled with the tool (first 8,000 train, last
 *       2,000 test). The default; needs nothing installed.
 *   <li>{@code mnist}: the full MNIST IDX files (60k/10k) in a directory the user names.
 *   <li>{@code fashion-mnist}: Fashion-MNIST IDX files, by default where Debian's
 *       {@code dataset-fashion-mnist} package installs them.
 * </ul>
 * IDX files may be gzip-compressed or not; both {@code train-images-idx3-ubyte.gz} and
 * {@code train-images.idx3-ubyte} spellings are found.
 */
public final class Datasets {
    private Datasets() {
    }

    public static final String BUNDLED = "mnist10k";
    public static final Path FASHION_DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final List<String> NAMES = List.of(BUNDLED, "mnist", "fashion-mnist");

    /** Canonical dataset name, or a clear error listing the known ones. */
    public static String canonical(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "mnist10k", "digits", "bundled" -> BUNDLED;
            case "mnist" -> "mnist";
            case "fashion-mnist", "fashion", "fmnist" -> "fashion-mnist";
            default -> throw new BadInputException("unknown dataset '" + name + "' (expected one of " + String.join(", ", NAMES) + ")");
        };
    }

    /**
     * Checks a dataset can be loaded (files present) without reading it; {@code dir} may be null
     * for the default location.
     */
    public static void validate(String name, Path dir) {
        String n = canonical(name);
        if (n.equals(BUNDLED)) {
            if (dir != null) {
                throw new BadInputException("--data-dir does not apply to the bundled " + BUNDLED + " dataset");
            }
            return;
        }
        Path d = directory(n, dir);
        for (String stem : new String[] {"train-images", "train-labels", "t10k-images", "t10k-labels"}) {
            find(d, stem, n);
        }
    }

    public static DataSplit load(String name, Path dir) {
        String n = canonical(name);
        if (n.equals(BUNDLED)) {
            ImageDataset all = ImageDataset.fromIdx(BUNDLED, bundled("mnist10k-images-idx3-ubyte.gz"),
                    bundled("mnist10k-labels-idx1-ubyte.gz"), 10);
            return new DataSplit(BUNDLED, all.slice(BUNDLED + "/train", 0, 8000), all.slice(BUNDLED + "/test", 8000, all.size()));
        }
        Path d = directory(n, dir);
        ImageDataset train = ImageDataset.fromIdx(n + "/train", Idx.read(find(d, "train-images", n)),
                Idx.read(find(d, "train-labels", n)), 10);
        ImageDataset test = ImageDataset.fromIdx(n + "/test", Idx.read(find(d, "t10k-images", n)),
                Idx.read(find(d, "t10k-labels", n)), 10);
        if (train.features() != test.features()) {
            throw new BadInputException(n + ": train images are " + train.height() + "×" + train.width()
                    + " but test images " + test.height() + "×" + test.width());
        }
        return new DataSplit(n, train, test);
    }

    private static Path directory(String n, Path dir) {
        if (dir == null) {
            if (n.equals("mnist")) {
                throw new BadInputException("dataset mnist needs --data-dir pointing at the MNIST IDX files "
                        + "(train-images-idx3-ubyte.gz, ...); the bundled 10k digits are '" + BUNDLED + "'");
            }
            dir = FASHION_DEFAULT_DIR;
        }
        if (!Files.isDirectory(dir)) {
            String hint = n.equals("fashion-mnist") && dir.equals(FASHION_DEFAULT_DIR)
                    ? " (install Debian's dataset-fashion-mnist package, or pass --data-dir)" : "";
            throw new BadInputException("data directory " + dir + " does not exist" + hint);
        }
        return dir;
    }

    private static Path find(Path dir, String stem, String dataset) {
        String kind = stem.endsWith("images") ? "idx3" : "idx1";
        for (String candidate : new String[] {stem + "-" + kind + "-ubyte.gz", stem + "-" + kind + "-ubyte",
                                              stem + "." + kind + "-ubyte.gz", stem + "." + kind + "-ubyte"}) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new BadInputException(dataset + ": no " + stem + "-" + kind + "-ubyte[.gz] in " + dir);
    }

    private static Idx.UByteArray bundled(String file) {
        String resource = "/bilinear/data/mnist10k/" + file;
        try (InputStream in = Datasets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("bundled dataset missing from the build: " + resource);
            }
            return Idx.read(in, file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read bundled " + resource, e);
        }
    }
}
