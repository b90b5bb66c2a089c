package org.sp2ot.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.typesafe.config.ConfigFactory;
import org.apache.spark.ml.param.Param;
import org.junit.jupiter.api.Test;
import org.sp2ot.ml.knn.KnnOptions;
import org.sp2ot.ml.Sp2otClustering;

/**
 * One set of defaults: the CLI's {@code sp2ot-defaults.conf} (through the same mapping a run uses) and the Spark ML
 * Estimator's param defaults must agree on every setting both expose.
 */
class DefaultsAgreementTest {
    /** Params that are column names or output paths of the Estimator alone; the CLI has no such keys. */
    private static final Set<String> ESTIMATOR_ONLY = Set.of("featuresCol", "idCol", "predictionCol", "confidenceCol",
            "checkpointDir", "trainLogPath", "knnK", "kernel", "kernelSigma");

    @Test
    void estimatorDefaultsAreTheCliDefaults() {
        RunConfig cli = RunConfig.fromUser(ConfigFactory.empty());
        String firstMethod = cli.train().methods().get(0);
        Sp2otClustering fromCli = cli.estimator(firstMethod);
        Sp2otClustering estimator = new Sp2otClustering();
        List<String> differ = new ArrayList<>();
        int compared = 0;
        for (Param<?> param : estimator.params()) {
            if (ESTIMATOR_ONLY.contains(param.name())) {
                continue;
            }
            Object ours = estimator.getOrDefault(param);
            Object theirs = fromCli.getOrDefault(fromCli.getParam(param.name()));
            compared++;
            if (!ours.equals(theirs)) {
                differ.add(param.name() + ": Estimator " + ours + ", CLI " + theirs);
            }
        }
        assertTrue(compared >= 25, "compared only " + compared + " params");
        assertEquals(List.of(), differ, "the Estimator's defaults differ from sp2ot-defaults.conf");
    }

    @Test
    void knnDefaultsAgreeAcrossCliEstimatorAndGraphBuilder() {
        RunConfig cli = RunConfig.fromUser(ConfigFactory.empty());
        Sp2otClustering estimator = new Sp2otClustering();
        KnnOptions builder = KnnOptions.defaults();
        assertEquals(cli.knn().k(), estimator.getKnnK());
        assertEquals(cli.knn().k(), builder.k());
        assertEquals(cli.knn().kernel().cliName(), estimator.getKernel());
        assertEquals(cli.knn().kernel(), builder.kernel());
        assertEquals(cli.knn().sigma(), estimator.getKernelSigma());
        assertEquals(cli.knn().sigma(), builder.sigma());
        assertEquals(cli.knn().blockSize(), builder.blockSize(), "knn.block-size (0 = chosen from N, d, cores)");
    }
}
