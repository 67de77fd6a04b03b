package bilinear.engine.data;

import bilinear.engine.BadInputException;
import java.util.Arrays;

/**
 * Labelled images: the grey levels of the IDX file as they are, one unsigned byte per pixel in a
 * row-major {@code [N, D]} array, and integer labels in {@code [0, classes)}. A pixel is the
 * float {@code level / 255} in [0, 1]; images become floats only when copied out, a batch at a
 * time. Kept as bytes, Fashion-MNIST's training set is 47 MB rather than 188 MB, and loading it
 * allocates no float array at all: on a host where the heap sits on transparent huge pages,
 * first touching 188 MB of fresh heap took 0.3–0.45 s, a third of the training command's start.
 */
public record ImageDataset(String name, byte[] levels, int[] labels, int height, int width, int classes) {
    public ImageDataset {
        if (labels.length == 0 || levels.length != labels.length * height * width) {
            throw new BadInputException(name + ": " + labels.length + " labels for " + levels.length
                    + " pixels of " + height + "×" + width + " images");
        }
        for (int y : labels) {
            if (y < 0 || y >= classes) {
                throw new BadInputException(name + ": label " + y + " outside [0, " + classes + ")");
            }
        }
    }

    public int size() {
        return labels.length;
    }

    /** Pixels per image. */
    public int features() {
        return height * width;
    }

    /** Pixel {@code p} of image {@code image}, in [0, 1]. */
    public float pixel(int image, int p) {
        return (levels[image * features() + p] & 0xff) / 255f;
    }

    /**
     * Writes images {@code [from, from + count)} as floats into {@code dst [count, D]} from
     * {@code offset} on. Training and evaluation batches take the backend's
     * {@code unpackGreyLevels} instead, which gives the same floats faster.
     */
    public void copyImages(int from, int count, float[] dst, int offset) {
        int d = features();
        for (int i = from * d, end = (from + count) * d, o = offset; i < end; i++, o++) {
            dst[o] = (levels[i] & 0xff) / 255f;
        }
    }

    /** Images {@code [from, from + count)} as a new float array {@code [count, D]}. */
    public float[] images(int from, int count) {
        float[] out = new float[count * features()];
        copyImages(from, count, out, 0);
        return out;
    }

    /** One image as a new float array of {@link #features} pixels. */
    public float[] image(int index) {
        return images(index, 1);
    }

    /** Images {@code [from, to)} as a new dataset. */
    public ImageDataset slice(String sliceName, int from, int to) {
        int d = features();
        return new ImageDataset(sliceName, Arrays.copyOfRange(levels, from * d, to * d),
                Arrays.copyOfRange(labels, from, to), height, width, classes);
    }

    /** Builds a dataset from an IDX image array {@code [N, H, W]} and label array {@code [N]}. */
    public static ImageDataset fromIdx(String name, Idx.UByteArray images, Idx.UByteArray labels, int classes) {
        if (images.dims().length != 3) {
            throw new BadInputException(name + ": image file has " + images.dims().length + " dimensions, expected 3 (N, rows, cols)");
        }
        if (labels.dims().length != 1) {
            throw new BadInputException(name + ": label file has " + labels.dims().length + " dimensions, expected 1");
        }
        if (images.count() != labels.count()) {
            throw new BadInputException(name + ": " + images.count() + " images but " + labels.count() + " labels");
        }
        int[] y = new int[labels.count()];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels.data()[i] & 0xff;
        }
        return new ImageDataset(name, images.data(), y, images.dims()[1], images.dims()[2], classes);
    }
}
