package bilinear.engine.data;

import bilinear.engine.BadInputException;

/**
 * Labelled images as one row-major float array {@code [N, D]} with pixels scaled to [0, 1], and
 * integer labels in {@code [0, classes)}.
 */
public record ImageDataset(String name, float[] pixels, int[] labels, int height, int width, int classes) {
    public ImageDataset {
        if (labels.length == 0 || pixels.length != labels.length * height * width) {
            throw new BadInputException(name + ": " + labels.length + " labels for " + pixels.length
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

    /** Images {@code [from, to)} as a new dataset. */
    public ImageDataset slice(String sliceName, int from, int to) {
        int d = features();
        float[] p = new float[(to - from) * d];
        System.arraycopy(pixels, from * d, p, 0, p.length);
        int[] l = new int[to - from];
        System.arraycopy(labels, from, l, 0, l.length);
        return new ImageDataset(sliceName, p, l, height, width, classes);
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
        byte[] src = images.data();
        float[] pixels = new float[src.length];
        for (int i = 0; i < src.length; i++) {
            pixels[i] = (src[i] & 0xff) / 255f;
        }
        int[] y = new int[labels.count()];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels.data()[i] & 0xff;
        }
        return new ImageDataset(name, pixels, y, images.dims()[1], images.dims()[2], classes);
    }
}
