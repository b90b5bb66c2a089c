package org.sp2ot.jobs.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything the evaluate stage reports (DESIGN.md, "evaluate" row): the scores of each method on each split, and
 * the run's parameters to print beside them. Insertion order is kept (methods and splits appear in that order in
 * metrics.json and report.html).
 *
 * @param methods    method name (e.g. {@code "sp2ot"}, {@code "kmeans"}) to split name ({@code "train"},
 *                   {@code "test"}) to scores
 * @param parameters the run's parameters as display strings (key to value)
 */
public record EvaluationReport(Map<String, Map<String, SplitMetrics>> methods, Map<String, String> parameters) {

    public EvaluationReport {
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("an evaluation report needs at least one method");
        }
        Map<String, Map<String, SplitMetrics>> copy = new LinkedHashMap<>();
        methods.forEach((method, splits) -> {
            if (splits.isEmpty()) {
                throw new IllegalArgumentException("method " + method + " has no evaluated split");
            }
            copy.put(method, Collections.unmodifiableMap(new LinkedHashMap<>(splits)));
        });
        methods = Collections.unmodifiableMap(copy);
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }
}
