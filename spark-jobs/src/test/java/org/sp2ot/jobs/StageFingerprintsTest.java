package org.sp2ot.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.sp2ot.jobs.io.Fingerprint;

/**
 * Which settings make which stage stale: a stage's fingerprint follows exactly the keys it reads (by prefix) and
 * its upstream stages, so a change recomputes what it affects and nothing else.
 */
class StageFingerprintsTest {

    private static StageFingerprints of(String hocon) {
        return new StageFingerprints(RunConfig.fromUser(ConfigFactory.parseString(hocon)));
    }

    private static final StageFingerprints BASE = of("train.methods = [sp2ot, p2ot]");

    @Test
    void everyConfigKeyIsReadByAStageOrListedAsNotChangingOutputs() {
        assertEquals(List.of(), StageFingerprints.unclaimed(RunConfig.knownKeys()),
                "a new config key must be claimed by a stage's prefix in StageFingerprints, or be listed in"
                        + " NOT_OUTPUT_CHANGING when it changes no output");
    }

    @Test
    void aTrainingSettingChangesTheHeadsAndAssignmentsButNotTheFeaturesOrGraph() {
        StageFingerprints changed = of("train { methods = [sp2ot, p2ot], eps = 0.05 }");
        assertEquals(BASE.extract(), changed.extract());
        assertEquals(BASE.knn(), changed.knn());
        assertEquals(BASE.kmeans(), changed.kmeans());
        assertNotEquals(BASE.train("sp2ot"), changed.train("sp2ot"));
        assertNotEquals(BASE.train("p2ot"), changed.train("p2ot"));
        assertNotEquals(BASE.assign("p2ot"), changed.assign("p2ot"));
        assertNotEquals(BASE.run(), changed.run());
    }

    @Test
    void theGraphWeightIsReadOnlyBySp2ot() {
        StageFingerprints changed = of("train { methods = [sp2ot, p2ot], lam0 = 100 }");
        assertNotEquals(BASE.train("sp2ot"), changed.train("sp2ot"));
        assertEquals(BASE.train("p2ot"), changed.train("p2ot"));
        assertEquals(List.of("train.lam0 1000 -> 100"),
                changed.train("sp2ot").differences(BASE.train("sp2ot")));
    }

    @Test
    void aGraphSettingChangesTheGraphAndSp2otOnly() {
        StageFingerprints changed = of("train.methods = [sp2ot, p2ot], knn.k = 10");
        assertNotEquals(BASE.knn(), changed.knn());
        assertNotEquals(BASE.train("sp2ot"), changed.train("sp2ot"));
        assertEquals(List.of("knn changed"), changed.train("sp2ot").differences(BASE.train("sp2ot")));
        assertEquals(BASE.train("p2ot"), changed.train("p2ot"));
    }

    @Test
    void anInputSettingChangesEverything() {
        StageFingerprints changed = of("train.methods = [sp2ot, p2ot], input.demo.seed = 1");
        assertNotEquals(BASE.extract(), changed.extract());
        assertNotEquals(BASE.knn(), changed.knn());
        assertNotEquals(BASE.train("p2ot"), changed.train("p2ot"));
        assertNotEquals(BASE.kmeans(), changed.kmeans());
    }

    @Test
    void speedPlacementAndMethodListChangeNoOutput() {
        StageFingerprints changed = of("train.methods = [sp2ot, p2ot, ot], out = /elsewhere, run-id = other,"
                + " knn.block-size = 64, extract.batch = 3, spark.master = \"local[2]\","
                + " spark.conf { \"spark.sql.shuffle.partitions\" = 3 }");
        assertEquals(BASE.extract(), changed.extract());
        assertEquals(BASE.knn(), changed.knn());
        assertEquals(BASE.train("sp2ot"), changed.train("sp2ot"));
        assertEquals(BASE.assign("p2ot"), changed.assign("p2ot"));
        assertNotEquals(BASE.run(), changed.run(), "the run has one more output");
    }

    @Test
    void kmeansFollowsItsOwnSettings() {
        assertNotEquals(BASE.kmeans(), of("train.methods = [sp2ot, p2ot], evaluate.kmeans-max-iter = 5").kmeans());
        assertNotEquals(BASE.kmeans(), of("train { methods = [sp2ot, p2ot], k = 50 }").kmeans());
        assertEquals(BASE.kmeans(), of("train { methods = [sp2ot, p2ot], lr = 0.1 }").kmeans());
    }

    @Test
    void fingerprintFileRoundTripsAndRejectsAnEditedFile() {
        Fingerprint print = BASE.train("sp2ot");
        assertEquals(print, Fingerprint.parse(print.render()));
        assertEquals(print.keys(), Fingerprint.parse(print.render()).keys());
        assertNull(Fingerprint.parse(print.render().replace("key train.eps 0.1", "key train.eps 0.2")),
                "an edited file no longer matches its hash");
        assertNull(Fingerprint.parse("not a fingerprint"));
        assertTrue(print.differences(null).get(0).contains("no fingerprint"));
    }
}
