package org.sp2ot.jobs.eval;

import java.util.Arrays;

/**
 * The training-split class sizes and the head / medium / tail partition derived from them (ALGORITHM.md §6). The
 * same partition is applied to every evaluated split, so the balanced test split is grouped by training sizes too.
 */
public final class LongTailGroups {

    private final long[] trainSizes;
    private final ClassGroup[] groupOfClass;

    /**
     * @param trainSizes training samples per class, indexed by label
     * @param head       labels of the head group
     * @param medium     labels of the medium group
     * @param tail       labels of the tail group; the three together must list every label exactly once
     */
    public LongTailGroups(long[] trainSizes, int[] head, int[] medium, int[] tail) {
        this.trainSizes = trainSizes.clone();
        this.groupOfClass = new ClassGroup[trainSizes.length];
        assign(head, ClassGroup.HEAD);
        assign(medium, ClassGroup.MEDIUM);
        assign(tail, ClassGroup.TAIL);
        for (int c = 0; c < groupOfClass.length; c++) {
            if (groupOfClass[c] == null) {
                throw new IllegalArgumentException("class " + c + " is in none of head/medium/tail; the groups must"
                        + " cover all " + trainSizes.length + " classes");
            }
        }
    }

    private void assign(int[] labels, ClassGroup group) {
        for (int label : labels) {
            if (label < 0 || label >= groupOfClass.length) {
                throw new IllegalArgumentException(group.key() + " class " + label + " is outside 0.."
                        + (groupOfClass.length - 1) + "; the groups must use the labels of the training sizes");
            }
            if (groupOfClass[label] != null) {
                throw new IllegalArgumentException("class " + label + " is in both " + groupOfClass[label].key()
                        + " and " + group.key());
            }
            groupOfClass[label] = group;
        }
    }

    /** Number of classes. */
    public int numClasses() {
        return trainSizes.length;
    }

    /** Training samples of class {@code label}. */
    public long trainSize(int label) {
        return trainSizes[label];
    }

    /** The group of class {@code label}. */
    public ClassGroup groupOf(int label) {
        return groupOfClass[label];
    }

    @Override
    public String toString() {
        return "LongTailGroups" + Arrays.toString(groupOfClass);
    }
}
