package org.sp2ot.jobs.eval;

import java.util.Locale;
import org.sp2ot.datasets.LongTailProfile.Group;

/**
 * One row of the per-class table of a split: how one ground-truth class fared after Hungarian matching.
 *
 * @param label          the class id
 * @param size           samples of the class in the evaluated split (0: the class is absent from the split and is
 *                       left out of every class average)
 * @param trainSize      samples of the class in the training split, which decides its {@code group}
 * @param group          head, medium or tail by training size
 * @param matchedCluster the cluster matched to the class, or {@link Hungarian#UNMATCHED} when there are more
 *                       classes than clusters and this class got none
 * @param matchedCount   samples of the class that landed in the matched cluster
 * @param recall         {@code matchedCount / size} (the class's accuracy), 0 for an absent class
 * @param precision      {@code matchedCount / |matched cluster|}, 0 for an unmatched class or an empty cluster
 * @param f1             harmonic mean of precision and recall, 0 when both are 0
 */
public record ClassResult(int label, long size, long trainSize, Group group, int matchedCluster,
                          long matchedCount, double recall, double precision, double f1) {

    /** The group as metrics.json and the report write it: {@code "head"}, {@code "medium"} or {@code "tail"}. */
    public String groupName() {
        return group.name().toLowerCase(Locale.ROOT);
    }
}
