package ai.metaspark.algo;

import ai.metaspark.Fixtures;
import ai.metaspark.model.Activation;
import ai.metaspark.model.Dl4jModels;
import ai.metaspark.model.MlpLearner;
import ai.metaspark.model.MlpModel;
import ai.metaspark.task.Task;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reptile's update equals theta' - theta of plain SGD on the task, with theta' from DL4J's own fit(). */
class ReptileTest {
    @Test
    void updateEqualsDl4jSgdDisplacement() {
        MlpModel spec = Fixtures.smallMlp(Activation.RELU);
        Task task = Fixtures.sinusoidTask(5, 10, 10);
        double lr = 0.02;
        int steps = 5;
        double[] theta = spec.initialParams(9);

        double[] direction = new Reptile(steps, lr).adapt(new MlpLearner(spec), theta, task).metaGradient();

        MultiLayerNetwork net = Dl4jModels.build(spec, DataType.DOUBLE);
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        conf.getConfs().forEach(c -> ((org.deeplearning4j.nn.conf.layers.BaseLayer) c.getLayer()).setIUpdater(new Sgd(lr)));
        net = new MultiLayerNetwork(conf);
        net.init();
        net.setParams(Nd4j.createFromArray(theta).reshape(1, theta.length));
        DataSet data = new DataSet(Nd4j.createFromArray(task.support().x()).reshape(10, 1),
                Nd4j.createFromArray(task.support().y()).reshape(10, 1));
        for (int i = 0; i < steps; i++) net.fit(data);
        double[] adapted = net.params().reshape(theta.length).toDoubleVector();

        double[] expected = new double[theta.length];
        double moved = 0;
        for (int k = 0; k < theta.length; k++) {
            expected[k] = theta[k] - adapted[k];
            moved += Math.abs(expected[k]);
        }
        assertTrue(moved > 1e-3, "SGD must move the parameters for the test to mean anything");
        assertArrayEquals(expected, direction, 1e-12);
    }
}
