package bilinear.engine.data;

import bilinear.engine.BadInputException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reader for IDX files (the MNIST format): a big-endian header {@code 0x00 0x00 type ndim}, then
 * {@code ndim} big-endian 32-bit dimensions, then the data. Only unsigned bytes (type 0x08) are
 * accepted, which is what MNIST and Fashion-MNIST use. Gzip-compressed files are recognised by
 * their magic bytes, whatever their name.
 */
public final class Idx {
    private Idx() {
    }

    /** An IDX array of unsigned bytes. */
    public record UByteArray(int[] dims, byte[] data) {
        public int count() {
            return dims[0];
        }

        /** Elements per item (product of all dimensions but the first). */
        public int itemSize() {
            int n = 1;
            for (int i = 1; i < dims.length; i++) {
                n *= dims[i];
            }
            return n;
        }
    }

    public static UByteArray read(Path path) {
        try (InputStream raw = Files.newInputStream(path)) {
            return read(raw, path.toString());
        } catch (NoSuchFileException e) {
            throw new BadInputException("no such file: " + path);
        } catch (IOException e) {
            throw new BadInputException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Reads from a stream (gzip or raw); {@code name} appears in error messages. */
    public static UByteArray read(InputStream raw, String name) throws IOException {
        PushbackInputStream in = new PushbackInputStream(new BufferedInputStream(raw, 1 << 16), 2);
        int b0 = in.read(), b1 = in.read();
        if (b1 >= 0) {
            in.unread(b1);
        }
        if (b0 >= 0) {
            in.unread(b0);
        }
        InputStream body = in;
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                body = new GZIPInputStream(in, 1 << 16);
            } catch (ZipException e) {
                throw new BadInputException(name + ": corrupt gzip data (" + e.getMessage() + ")");
            }
        }
        DataInputStream data = new DataInputStream(body);
        try {
            int magic = data.readInt();
            if ((magic >>> 16) != 0) {
                throw new BadInputException(name + ": not an IDX file (magic 0x" + Integer.toHexString(magic) + ")");
            }
            int type = (magic >>> 8) & 0xff, ndim = magic & 0xff;
            if (type != 0x08) {
                throw new BadInputException(name + ": IDX element type 0x" + Integer.toHexString(type)
                        + " is not supported (only unsigned bytes, 0x08)");
            }
            if (ndim < 1 || ndim > 4) {
                throw new BadInputException(name + ": IDX file with " + ndim + " dimensions (expected 1 to 4)");
            }
            int[] dims = new int[ndim];
            long total = 1;
            for (int i = 0; i < ndim; i++) {
                dims[i] = data.readInt();
                if (dims[i] < 0) {
                    throw new BadInputException(name + ": negative dimension in IDX header " + Arrays.toString(dims));
                }
                total *= dims[i];
            }
            if (total > Integer.MAX_VALUE - 16) {
                throw new BadInputException(name + ": IDX array of " + total + " bytes is too large");
            }
            byte[] bytes = new byte[(int) total];
            data.readFully(bytes);
            if (data.read() != -1) {
                throw new BadInputException(name + ": trailing bytes after the " + Arrays.toString(dims) + " IDX array");
            }
            return new UByteArray(dims, bytes);
        } catch (EOFException e) {
            throw new BadInputException(name + ": truncated IDX file");
        } catch (ZipException e) {
            throw new BadInputException(name + ": corrupt gzip data (" + e.getMessage() + ")");
        }
    }

    /** Writes an uncompressed IDX array of unsigned bytes (tests and fixtures). */
    public static byte[] encode(int[] dims, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(0);
        out.write(0x08);
        out.write(dims.length);
        for (int d : dims) {
            out.write(d >>> 24);
            out.write(d >>> 16);
            out.write(d >>> 8);
            out.write(d);
        }
        out.write(data, 0, data.length);
        return out.toByteArray();
    }
}
