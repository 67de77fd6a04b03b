package bilinear.engine.data;

/** A training set and a held-out test set. */
public record DataSplit(String name, ImageDataset train, ImageDataset test) {
}
