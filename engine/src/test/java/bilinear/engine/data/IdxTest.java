package bilinear.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bilinear.engine.BadInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path dir;

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    @Test
    void readsRawAndGzipAlike() throws IOException {
        byte[] data = new byte[2 * 3 * 4];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 11);
        }
        byte[] idx = Idx.encode(new int[] {2, 3, 4}, data);
        Files.write(dir.resolve("a.idx"), idx);
        Files.write(dir.resolve("a.idx.gz"), gzip(idx));
        for (String name : new String[] {"a.idx", "a.idx.gz"}) {
            Idx.UByteArray a = Idx.read(dir.resolve(name));
            assertArrayEquals(new int[] {2, 3, 4}, a.dims());
            assertArrayEquals(data, a.data());
            assertEquals(12, a.itemSize());
        }
    }

    @Test
    void refusesMalformedFilesWithTheReason() throws IOException {
        byte[] good = Idx.encode(new int[] {4, 2}, new byte[8]);
        Files.write(dir.resolve("truncated"), Arrays.copyOf(good, good.length - 3));
        Files.write(dir.resolve("truncated.gz"), gzip(Arrays.copyOf(good, good.length - 3)));
        byte[] badMagic = good.clone();
        badMagic[0] = 7;
        Files.write(dir.resolve("magic"), badMagic);
        byte[] ints = good.clone();
        ints[2] = 0x0C;
        Files.write(dir.resolve("ints"), ints);
        Files.write(dir.resolve("trailing"), Arrays.copyOf(good, good.length + 1));
        byte[] corruptGzip = gzip(good);
        corruptGzip[corruptGzip.length / 2] ^= 0x55;
        Files.write(dir.resolve("corrupt.gz"), corruptGzip);

        assertMessage("truncated", "truncated IDX");
        assertMessage("truncated.gz", "truncated IDX");
        assertMessage("magic", "not an IDX file");
        assertMessage("ints", "only unsigned bytes");
        assertMessage("trailing", "trailing bytes");
        assertMessage("corrupt.gz", "");
        assertMessage("missing", "no such file");
    }

    private void assertMessage(String file, String expected) {
        BadInputException e = assertThrows(BadInputException.class, () -> Idx.read(dir.resolve(file)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(file), "the message names the file: " + e.getMessage());
    }
}
