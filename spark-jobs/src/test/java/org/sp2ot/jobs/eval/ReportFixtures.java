package org.sp2ot.jobs.eval;

import java.util.LinkedHashMap;
import java.util.Map;
import org.sp2ot.datasets.LongTailProfile;

/** A small two-method, two-split evaluation report computed from fixed contingency tables. */
final class ReportFixtures {

    private ReportFixtures() {
    }

    static final LongTailProfile TRAIN_PROFILE = LongTailProfile.fromCounts(new long[] {12, 6, 3, 2, 1});

    static EvaluationReport twoMethods() {
        Map<String, Map<String, SplitMetrics>> methods = new LinkedHashMap<>();
        methods.put("sp2ot", splits(
                new long[][] {{10, 2, 0, 0, 0}, {0, 5, 1, 0, 0}, {0, 0, 3, 0, 0}, {0, 0, 0, 2, 0}, {0, 0, 0, 1, 0}},
                new long[][] {{3, 0, 0, 0, 0}, {0, 3, 0, 0, 0}, {0, 1, 2, 0, 0}, {0, 0, 0, 3, 0}, {0, 0, 1, 1, 1}}));
        methods.put("kmeans", splits(
                new long[][] {{6, 6, 0, 0, 0}, {0, 0, 6, 0, 0}, {0, 0, 3, 0, 0}, {0, 0, 0, 2, 0}, {0, 0, 1, 0, 0}},
                new long[][] {{2, 1, 0, 0, 0}, {0, 0, 3, 0, 0}, {0, 0, 3, 0, 0}, {0, 0, 0, 3, 0}, {0, 0, 3, 0, 0}}));
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("run_id", "test-run");
        parameters.put("train.k", "5");
        parameters.put("note", "<b>escaped</b> & kept");
        return new EvaluationReport(methods, parameters);
    }

    private static Map<String, SplitMetrics> splits(long[][] train, long[][] test) {
        Map<String, SplitMetrics> splits = new LinkedHashMap<>();
        splits.put("train", ClusteringMetrics.evaluate(train, TRAIN_PROFILE));
        splits.put("test", ClusteringMetrics.evaluate(test, TRAIN_PROFILE));
        return splits;
    }
}
