package ai.metaspark.model;

import ai.metaspark.model.conv.Conv4Classifier;
import ai.metaspark.model.conv.Conv4Spec;
import ai.metaspark.model.conv.Conv4Spec.Variant;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * model.zip of a Conv-4 run: the DL4J network of {@link Dl4jModels#conv4}, saved and read back with DL4J's
 * ModelSerializer, predicts (in training mode: batch norm on the batch's statistics) the softmax of the oneDNN logits
 * to 1e-5, for both variants on Omniglot's shapes and on colour images of other sizes (image folders): DL4J reads
 * the flat input as channel-major planes, as oneDNN does.
 */
class Conv4ExportTest {
    @ParameterizedTest
    @CsvSource({"POOL, 28, 1", "STRIDED, 28, 1", "POOL, 20, 3", "STRIDED, 21, 3"})
    void exportedNetworkPredictsWhatTheOneDnnForwardPredicts(Variant variant, int side, int channels) throws Exception {
        Conv4Model model = new Conv4Model(new Conv4Spec(side, channels, 64, 4, variant), 5);
        Conv4Spec spec = model.conv();
        SplittableRandom rng = new SplittableRandom(3);
        double[] p = model.initialParams(7);
        for (int b = 0; b < spec.blocks(); b++) {
            for (int c = 0; c < spec.filters(); c++) {
                p[spec.gammaOffset(b) + c] = 0.5 + rng.nextDouble();
                p[spec.betaOffset(b) + c] = 0.4 * rng.nextDouble() - 0.2;
            }
        }
        for (int j = 0; j < 5; j++) p[p.length - 5 + j] = 0.3 * rng.nextGaussian();
        int n = 10;
        double[] x = new double[n * spec.inputSize()];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextDouble();
        double[] logits;
        try (Conv4Classifier c = new Conv4Classifier(spec, 5)) {
            logits = c.predict(p, x, n);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Dl4jModels.save(model.toDl4j(p), bytes);
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), false);
        INDArray out = net.output(Nd4j.createFromArray(x).castTo(DataType.FLOAT).reshape(n, spec.inputSize()), true);
        double maxDiff = 0;
        double spread = 0;
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (int j = 0; j < 5; j++) max = Math.max(max, logits[i * 5 + j]);
            for (int j = 0; j < 5; j++) sum += Math.exp(logits[i * 5 + j] - max);
            for (int j = 0; j < 5; j++) {
                double prob = Math.exp(logits[i * 5 + j] - max) / sum;
                maxDiff = Math.max(maxDiff, Math.abs(prob - out.getDouble(i, j)));
                spread = Math.max(spread, Math.abs(prob - 0.2));
            }
        }
        System.out.printf("%s %s: largest probability difference DL4J vs oneDNN %.2e (probabilities differ from uniform by up to %.2f)%n",
                variant, spec.inputSize(), maxDiff, spread);
        assertTrue(spread > 0.05, "near-uniform predictions would make the comparison weak");
        assertTrue(maxDiff < 1e-5, variant + ": DL4J and oneDNN probabilities differ by " + maxDiff);
    }
}
