package bilinear.engine.decomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bilinear.engine.TestSupport;
import bilinear.engine.io.Checkpoint;
import bilinear.engine.io.Safetensors;
import bilinear.linalg.Backend;
import bilinear.linalg.Tensor;
import bilinear.linalg.eigen.EigenOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Against an independent implementation: {@code torch.linalg.eigh} in float64 on the interaction
 * matrices of a model trained by PyTorch (src/fixtures/make_fixtures.py, torch_eigen.safetensors).
 * Eigenvalues agree within 1e-5 of the largest |λ| of each class, and the pixel-space top
 * eigenvectors {@code Eᵀv} agree up to sign.
 */
class TorchAgreementTest {
    static final Map<String, Tensor> TORCH = Safetensors.read(TestSupport.fixture("torch_eigen.safetensors")).tensors();

    @Test
    void interactionMatricesAndEigenvaluesMatchTorch() {
        Checkpoint.Loaded loaded = Checkpoint.load(TestSupport.fixture("torch_classifier.safetensors"));
        Tensor q = TORCH.get("classifier.q"), values = TORCH.get("classifier.eigenvalues");     // [10, h, h], [10, h] ascending
        int h = values.cols();
        double worst = 0;
        for (Backend be : TestSupport.all()) {
            Decomposer dec = new Decomposer(loaded.model(), be);
            List<Decomposition> classes = dec.decomposeClasses();
            for (int c = 0; c < 10; c++) {
                double[] ours = dec.interactionMatrix(0, dec.headDirection(OutputDirection.ofClass(c, 10)));
                double qScale = 0;
                for (int i = 0; i < h * h; i++) {
                    qScale = Math.max(qScale, Math.abs(q.data()[c * h * h + i]));
                }
                for (int i = 0; i < h * h; i++) {
                    assertEquals(q.data()[c * h * h + i], ours[i], 1e-6 * qScale, "Q of class " + c + " entry " + i);
                }
                Decomposition d = classes.get(c);
                double[] ascending = Arrays.stream(d.order(EigenOrder.ASCENDING)).mapToDouble(d::value).toArray();
                double largest = Math.abs(d.value(0));
                for (int i = 0; i < h; i++) {
                    assertEquals(values.data()[c * h + i], ascending[i], 1e-5 * largest,
                            "eigenvalue " + i + " of class " + c + " on " + be.name());
                    worst = Math.max(worst, Math.abs(values.data()[c * h + i] - ascending[i]) / largest);
                }
            }
        }
        System.out.printf("eigenvalues vs torch.linalg.eigh: worst |Δλ| = %.2g of the class's largest |λ|%n", worst);
    }

    @Test
    void pixelSpaceTopEigenvectorsMatchTorchUpToSign() {
        Checkpoint.Loaded loaded = Checkpoint.load(TestSupport.fixture("torch_classifier.safetensors"));
        Tensor pixels = TORCH.get("classifier.pixel_top"), topValues = TORCH.get("classifier.top_eigenvalues");   // [10, 3, 784], [10, 3]
        Decomposer dec = new Decomposer(loaded.model(), TestSupport.simd(2));
        List<Decomposition> classes = dec.decomposeClasses();
        int d = 784, k = 3;
        double worst = 1;
        for (int c = 0; c < 10; c++) {
            Tensor ours = dec.pixelVectors(classes.get(c), k);
            for (int i = 0; i < k; i++) {
                assertEquals(topValues.get(c, i), classes.get(c).value(i), 1e-5 * Math.abs(topValues.get(c, 0)), "top eigenvalue order");
                int off = (c * k + i) * d;
                double dot = 0, scale = 0;
                for (int p = 0; p < d; p++) {
                    dot += pixels.data()[off + p] * (double) ours.data()[i * d + p];
                    scale = Math.max(scale, Math.abs(pixels.data()[off + p]));
                }
                double sign = Math.signum(dot);
                for (int p = 0; p < d; p++) {
                    assertEquals(pixels.data()[off + p], sign * ours.data()[i * d + p], 1e-4 * scale,
                            "class " + c + " eigenvector " + i + " pixel " + p + " (up to sign)");
                }
                worst = Math.min(worst, Math.abs(SpectrumStats.cosine(pixels.data(), off, ours.data(), i * d, d)));
            }
        }
        assertTrue(worst > 1 - 1e-6, "worst |cos| with torch " + worst);
        System.out.printf("top-3 pixel-space eigenvectors vs torch: worst |cos| = 1 − %.2g%n", 1 - worst);
    }

    @Test
    void augmentedTopBlockOfTheBiasedModelMatchesTorch() {
        Checkpoint.Loaded loaded = Checkpoint.load(TestSupport.fixture("torch_biased.safetensors"));
        Tensor values = TORCH.get("biased.top_block_eigenvalues");     // [10, h + 1] ascending
        Decomposer dec = new Decomposer(loaded.model(), TestSupport.scalar());
        List<Decomposition> classes = dec.decomposeClasses();
        int n = values.cols();
        assertEquals(n, classes.getFirst().size(), "h + 1 coordinates: the constant input");
        for (int c = 0; c < 10; c++) {
            Decomposition d = classes.get(c);
            double[] ascending = Arrays.stream(d.order(EigenOrder.ASCENDING)).mapToDouble(d::value).toArray();
            for (int i = 0; i < n; i++) {
                assertEquals(values.get(c, i), ascending[i], 1e-5 * Math.abs(d.value(0)), "class " + c + " eigenvalue " + i);
            }
        }
    }
}
