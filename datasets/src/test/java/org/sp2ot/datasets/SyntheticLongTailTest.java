package org.sp2ot.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class SyntheticLongTailTest {

    /** A small mixture with the preset's shape knobs: 10 classes in 5 families, 16 dims. */
    private static SyntheticMixture.Spec tiny(long seed) {
        return new SyntheticMixture.Spec(10, 16, 40, 10, 3, 5, 0.8, 0.5, 1.0, 0.6, 1.0, seed);
    }

    @Test
    void trainCountsFollowTheExponentialProfile() {
        SyntheticMixture m = new SyntheticMixture(tiny(1));
        long[] expected = LongTailProfile.exponentialCounts(40, 10, 10);
        assertArrayEquals(expected, m.trainCounts());
        long[] seen = new long[10];
        for (long r = 0; r < m.numTrain(); r++) {
            assertFalse(m.isTest(r));
            seen[m.labelOf(r)]++;
        }
        assertArrayEquals(expected, seen);
    }

    @Test
    void classesWhoseQuotaRoundsToZeroGetNoRows() {
        SyntheticMixture m = new SyntheticMixture(
                new SyntheticMixture.Spec(6, 8, 4, 100, 1, 2, 0.8, 0.5, 1.0, 0.6, 1.0, 3));
        assertArrayEquals(new long[] {4, 1, 0, 0, 0, 0}, m.trainCounts());
        assertEquals(List.of(0, 0, 0, 0, 1), java.util.stream.LongStream.range(0, 5).mapToObj(m::labelOf)
                .collect(java.util.stream.Collectors.toList()));
        assertEquals(5, m.labelOf(10));
    }

    @Test
    void testSplitIsBalancedAndFollowsTheTrainingRows() {
        SyntheticMixture m = new SyntheticMixture(tiny(1));
        assertEquals(30, m.numTest());
        long[] seen = new long[10];
        for (long r = m.numTrain(); r < m.numRows(); r++) {
            assertTrue(m.isTest(r));
            seen[m.labelOf(r)]++;
        }
        for (long n : seen) {
            assertEquals(3, n);
        }
    }

    @Test
    void samplesAreUnitVectors() {
        SyntheticMixture m = new SyntheticMixture(tiny(2));
        for (long r = 0; r < m.numRows(); r += 7) {
            double norm = 0;
            for (float v : m.sample(r)) {
                norm += v * v;
            }
            assertEquals(1.0, Math.sqrt(norm), 1e-5);
        }
    }

    @Test
    void siblingClassMeansAreCloserThanUnrelatedOnes() {
        SyntheticMixture m = new SyntheticMixture(SyntheticLongTail.Preset.SMALL.spec(3));
        double sibling = 0;
        double unrelated = 0;
        int ns = 0;
        int nu = 0;
        for (int a = 0; a < 100; a++) {
            for (int b = a + 1; b < 100; b++) {
                double cos = dot(m.classMean(a), m.classMean(b));
                if (m.familyOf(a) == m.familyOf(b)) {
                    sibling += cos;
                    ns++;
                } else {
                    unrelated += cos;
                    nu++;
                }
            }
        }
        assertTrue(sibling / ns > 0.5, "mean sibling cosine " + sibling / ns);
        assertTrue(Math.abs(unrelated / nu) < 0.05, "mean unrelated cosine " + unrelated / nu);
    }

    @Test
    void classesScatterAroundTheirMeansWithUnequalSpreads() {
        SyntheticMixture m = new SyntheticMixture(SyntheticLongTail.Preset.SMALL.spec(4));
        double[] cosSum = new double[100];
        int[] n = new int[100];
        for (long r = 0; r < m.numTrain(); r += 2) {
            int c = m.labelOf(r);
            cosSum[c] += dot(m.sample(r), m.classMean(c));
            n[c]++;
        }
        double lowest = 1;
        double highest = -1;
        for (int c = 0; c < 100; c++) {
            double mean = cosSum[c] / n[c];
            lowest = Math.min(lowest, mean);
            highest = Math.max(highest, mean);
        }
        assertTrue(lowest > 0.3 && highest < 0.95, "mean cosine to the class mean in [" + lowest + ", " + highest
                + "]");
        assertTrue(highest - lowest > 0.1, "spreads differ between classes: " + lowest + " .. " + highest);
    }

    @Test
    void presetsHaveTheDocumentedSizes() {
        SyntheticMixture small = new SyntheticMixture(SyntheticLongTail.Preset.SMALL.spec(0));
        assertEquals(8668, small.numTrain());
        assertEquals(2000, small.numTest());
        assertEquals(384, small.spec().dim());
        SyntheticMixture large = new SyntheticMixture(SyntheticLongTail.Preset.LARGE.spec(0));
        assertEquals(108909, large.numTrain());
        assertEquals(5000, large.numTest());
        assertEquals(768, large.spec().dim());
    }

    @Test
    void theSeedDeterminesTheData() {
        assertArrayEquals(new SyntheticMixture(tiny(5)).sample(17), new SyntheticMixture(tiny(5)).sample(17));
        assertFalse(java.util.Arrays.equals(new SyntheticMixture(tiny(5)).sample(17),
                new SyntheticMixture(tiny(6)).sample(17)));
    }

    @Test
    void sparkOutputIsIdenticalForAnyPartitionCount() {
        SparkSession spark = SparkTestSession.get();
        SyntheticLongTail data = new SyntheticLongTail(tiny(7));
        Map<Long, List<Float>> one = byId(data.features(spark, 1));
        Map<Long, List<Float>> three = byId(data.features(spark, 3));
        assertEquals(data.mixture().numRows(), one.size());
        assertEquals(one, three);
    }

    @Test
    void manifestMatchesTheFeaturesRowForRow() {
        SparkSession spark = SparkTestSession.get();
        SyntheticLongTail data = new SyntheticLongTail(tiny(8));
        List<Row> manifest = data.manifest(spark, 2).orderBy("id").collectAsList();
        List<Row> features = data.features(spark, 2).orderBy("id").collectAsList();
        assertEquals(features.size(), manifest.size());
        for (int i = 0; i < manifest.size(); i++) {
            Row m = manifest.get(i);
            assertEquals((long) i, m.getLong(0));
            assertTrue(m.isNullAt(1));
            assertEquals(features.get(i).getInt(2), m.getInt(2));
            assertEquals(SyntheticLongTail.labelName(m.getInt(2)), m.getString(3));
            assertEquals(i < data.mixture().numTrain() ? "train" : "test", m.getString(4));
        }
    }

    private static Map<Long, List<Float>> byId(Dataset<Row> features) {
        Map<Long, List<Float>> out = new TreeMap<>();
        for (Row r : features.collectAsList()) {
            out.put(r.getLong(0), r.getList(1));
        }
        return out;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
