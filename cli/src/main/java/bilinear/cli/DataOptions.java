package bilinear.cli;

import bilinear.engine.data.DataSplit;
import bilinear.engine.data.Datasets;
import bilinear.engine.io.Checkpoint;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Which dataset an analysis reads: the one named, else the one the checkpoint was trained on
 * (from its metadata), else the bundled digits (a reference PyTorch file has no metadata).
 */
public final class DataOptions {
    @Option(names = "--dataset", paramLabel = "NAME",
            description = "mnist10k, mnist or fashion-mnist (default: the one the checkpoint was trained on, else mnist10k)")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "directory with the IDX files")
    Path dataDir;

    /** The resolved dataset name and directory (null for the default location). */
    record Choice(String name, Path dir) {
        DataSplit load() {
            return Datasets.load(name, dir);
        }
    }

    /** Resolves and validates (files present) without reading the data. */
    Choice resolve(Checkpoint.Loaded loaded) {
        String name = dataset != null ? dataset : loaded.train() != null ? loaded.train().dataset() : Datasets.BUNDLED;
        Path dir = dataDir != null ? dataDir
                : dataset == null && loaded.train() != null && loaded.train().dataDir() != null ? Path.of(loaded.train().dataDir()) : null;
        Datasets.validate(name, dir);
        return new Choice(Datasets.canonical(name), dir);
    }
}
