package bilinear.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import bilinear.engine.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
    @TempDir
    Path dir;

    @Test
    void bundledDigitsSplitEightThousandToTwoThousand() {
        DataSplit s = Datasets.load("mnist10k", null);
        assertEquals(8000, s.train().size());
        assertEquals(2000, s.test().size());
        assertEquals(784, s.train().features());
        int[] counts = new int[10];
        for (int y : s.train().labels()) {
            counts[y]++;
        }
        for (int c : counts) {
            assertTrue(c > 600, "every digit is present: " + Arrays.toString(counts));
        }
        float max = 0;
        for (float p : s.test().images(0, s.test().size())) {
            max = Math.max(max, p);
        }
        assertEquals(1f, max, 0f, "pixels scaled to [0, 1]");
    }

    @Test
    void fashionMnistFromTheDebianPackage() {
        assumeTrue(Files.isDirectory(Datasets.FASHION_DEFAULT_DIR), "dataset-fashion-mnist is not installed");
        DataSplit s = Datasets.load("fashion-mnist", null);
        assertEquals(60000, s.train().size());
        assertEquals(10000, s.test().size());
    }

    @Test
    void readsAUserDirectoryOfUncompressedFiles() throws IOException {
        byte[] images = new byte[5 * 28 * 28];
        images[3] = (byte) 255;
        byte[] labels = {0, 1, 2, 3, 9};
        Files.write(dir.resolve("train-images-idx3-ubyte"), Idx.encode(new int[] {5, 28, 28}, images));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), Idx.encode(new int[] {5}, labels));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), Idx.encode(new int[] {5, 28, 28}, images));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), Idx.encode(new int[] {5}, labels));
        DataSplit s = Datasets.load("mnist", dir);
        assertEquals(5, s.train().size());
        assertEquals(1f, s.train().pixel(0, 3));
        assertEquals(9, s.test().labels()[4]);
    }

    @Test
    void clearErrors() throws IOException {
        assertThrows(BadInputException.class, () -> Datasets.canonical("cifar"));
        BadInputException noDir = assertThrows(BadInputException.class, () -> Datasets.validate("mnist", null));
        assertTrue(noDir.getMessage().contains("--data-dir"), noDir.getMessage());
        BadInputException missing = assertThrows(BadInputException.class, () -> Datasets.validate("mnist", dir));
        assertTrue(missing.getMessage().contains("train-images"), missing.getMessage());
        Files.write(dir.resolve("train-images-idx3-ubyte"), Idx.encode(new int[] {2, 28, 28}, new byte[2 * 784]));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), Idx.encode(new int[] {3}, new byte[3]));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), Idx.encode(new int[] {2, 28, 28}, new byte[2 * 784]));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), Idx.encode(new int[] {2}, new byte[] {0, 11}));
        BadInputException mismatch = assertThrows(BadInputException.class, () -> Datasets.load("mnist", dir));
        assertTrue(mismatch.getMessage().contains("2 images but 3 labels"), mismatch.getMessage());
    }

    @Test
    void epochOrderIsAPermutationThatChangesEachEpoch() {
        int[] a = Batches.epochOrder(1000, 42, 0), b = Batches.epochOrder(1000, 42, 1);
        assertNotEquals(Arrays.toString(a), Arrays.toString(b));
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
        assertEquals(Arrays.toString(a), Arrays.toString(Batches.epochOrder(1000, 42, 0)));
    }
}
