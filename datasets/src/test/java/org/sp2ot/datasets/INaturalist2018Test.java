package org.sp2ot.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class INaturalist2018Test {

    @TempDir
    Path dir;

    private static Set<Integer> set(int[] a) {
        return Arrays.stream(a).boxed().collect(Collectors.toSet());
    }

    @Test
    void subsetsOf2100ClassesAreNested() {
        int[] all = IntStream.range(0, 2100).map(i -> 5000 - i).toArray();
        int[] s2000 = INaturalist2018.nestedSubset(all, 2000);
        int[] s1000 = INaturalist2018.nestedSubset(all, 1000);
        int[] s500 = INaturalist2018.nestedSubset(all, 500);
        int[] s200 = INaturalist2018.nestedSubset(all, 200);
        int[] s100 = INaturalist2018.nestedSubset(all, 100);
        assertEquals(2000, s2000.length);
        assertEquals(1000, s1000.length);
        assertEquals(500, s500.length);
        assertEquals(200, s200.length);
        assertEquals(100, s100.length);
        assertTrue(set(s2000).containsAll(set(s1000)));
        assertTrue(set(s1000).containsAll(set(s500)));
        assertTrue(set(s500).containsAll(set(s200)));
        assertTrue(set(s200).containsAll(set(s100)));
    }

    @Test
    void eachStepTakesEveryPrevOverCurThClassThenTheFirstCur() {
        int[] all = IntStream.range(0, 8142).toArray();
        int[] s2000 = INaturalist2018.nestedSubset(all, 2000);
        assertArrayEquals(IntStream.range(0, 2000).map(i -> 4 * i).toArray(), s2000, "8142 // 2000 = 4");
        int[] s1000 = INaturalist2018.nestedSubset(all, 1000);
        assertArrayEquals(IntStream.range(0, 1000).map(i -> 8 * i).toArray(), s1000);
        int[] s200 = INaturalist2018.nestedSubset(all, 200);
        assertArrayEquals(IntStream.range(0, 200).map(i -> 32 * i).toArray(), s200, "500 // 200 = 2");
        int[] s100 = INaturalist2018.nestedSubset(all, 100);
        assertArrayEquals(IntStream.range(0, 100).map(i -> 64 * i).toArray(), s100);
    }

    @Test
    void subsetKeepsTheOrderOfTheParentList() {
        int[] all = IntStream.range(0, 300).map(i -> 1000 + i).toArray();
        assertArrayEquals(IntStream.range(0, 200).map(i -> 1000 + i).toArray(),
                INaturalist2018.nestedSubset(all, 200), "300 // 200 = 1: the first 200");
        assertArrayEquals(IntStream.range(0, 100).map(i -> 1000 + 2 * i).toArray(),
                INaturalist2018.nestedSubset(all, 100));
    }

    @Test
    void sizesOutsideTheChainAreRejected() {
        int[] all = IntStream.range(0, 300).toArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> INaturalist2018.nestedSubset(all, 150));
        assertTrue(e.getMessage().contains("200, 100"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> INaturalist2018.nestedSubset(all, 500));
        assertArrayEquals(all, INaturalist2018.nestedSubset(all, 300));
    }

    /**
     * A list pair over 250 original labels (0..249) where class c has 1 + (c * 7) % 13 training lines and 3
     * validation lines; labels 250..299 exist in neither.
     */
    private Path fixture(int classes) throws IOException {
        Path in = Files.createDirectories(dir.resolve("inat"));
        List<String> train = new ArrayList<>();
        List<String> val = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < trainCount(c); i++) {
                train.add("train_val2018/Kingdom/" + c + "/img " + i + ".jpg " + c);
            }
            for (int i = 0; i < 3; i++) {
                val.add("train_val2018/Kingdom/" + c + "/val" + i + ".jpg " + c);
            }
        }
        java.util.Collections.shuffle(train, new java.util.Random(1));
        Files.write(in.resolve(INaturalist2018.TRAIN_LIST), train);
        Files.write(in.resolve(INaturalist2018.VAL_LIST), val);
        return in;
    }

    private static int trainCount(int c) {
        return 1 + (c * 7) % 13;
    }

    private List<Row> build(Path in, Map<String, String> options) throws IOException {
        SparkSession spark = SparkTestSession.get();
        Path out = dir.resolve("out-" + options.getOrDefault("classes", "all"));
        Map<String, String> all = new HashMap<>(options);
        all.put("original-classes", "300");
        ManifestBuilder.build(spark, "inat2018", in.toString(), out.toString(), all);
        return spark.read().parquet(out.resolve("manifest").toString()).orderBy("id").collectAsList();
    }

    @Test
    void relabelsByTrainingCountDescendingTiesToTheSmallerLabel() throws IOException {
        List<Row> rows = build(fixture(250), Map.of());
        Map<Integer, Integer> newToOriginal = new TreeMap<>();
        for (Row r : rows) {
            newToOriginal.put(r.getInt(2), Integer.parseInt(r.getString(3)));
        }
        assertEquals(250, newToOriginal.size());
        int[] expected = IntStream.range(0, 250).boxed()
                .sorted((a, b) -> trainCount(a) != trainCount(b) ? trainCount(b) - trainCount(a) : a - b)
                .mapToInt(Integer::intValue).toArray();
        assertArrayEquals(expected, newToOriginal.values().stream().mapToInt(Integer::intValue).toArray());
    }

    @Test
    void subsetManifestsAreNestedAndTestIsTheValImagesOfTheSameClasses() throws IOException {
        Path in = fixture(250);
        Set<String> previous = null;
        for (String classes : new String[] {"100", "200"}) {
            List<Row> rows = build(in, Map.of("classes", classes));
            Set<String> trainClasses = new HashSet<>();
            Map<String, Integer> testCounts = new HashMap<>();
            for (Row r : rows) {
                if (r.getString(4).equals("train")) {
                    trainClasses.add(r.getString(3));
                } else {
                    testCounts.merge(r.getString(3), 1, Integer::sum);
                }
            }
            assertEquals(Integer.parseInt(classes), trainClasses.size());
            assertEquals(trainClasses, testCounts.keySet());
            assertTrue(testCounts.values().stream().allMatch(n -> n == 3), "3 val images per class");
            if (previous != null) {
                assertTrue(trainClasses.containsAll(previous), "100-class subset inside the 200-class one");
            }
            previous = trainClasses;
        }
    }

    @Test
    void pathsAreResolvedAgainstTheInputFolderAndMayHoldSpaces() throws IOException {
        Path in = fixture(5);
        List<Row> rows = build(in, Map.of());
        Row r = rows.stream().filter(x -> x.getString(1).endsWith("/img 0.jpg")).findFirst().orElseThrow();
        assertTrue(r.getString(1).startsWith("file:"), r.getString(1));
        assertTrue(r.getString(1).contains(in.toString() + "/train_val2018/Kingdom/"), r.getString(1));
    }

    @Test
    void idsAreTheSameOnTwoRuns() throws IOException {
        Path in = fixture(30);
        List<Row> first = build(in, Map.of());
        SparkSession spark = SparkTestSession.get();
        Path again = dir.resolve("again");
        ManifestBuilder.build(spark, "inat2018", in.toString(), again.toString(), Map.of("original-classes", "300"));
        List<Row> second = spark.read().parquet(again.resolve("manifest").toString()).orderBy("id").collectAsList();
        assertEquals(first, second);
    }

    @Test
    void aLineWithoutLabelIsNamedByFileAndLineNumber() throws IOException {
        Path in = fixture(5);
        Path list = in.resolve(INaturalist2018.TRAIN_LIST);
        List<String> lines = new ArrayList<>(Files.readAllLines(list));
        lines.add(3, "train_val2018/Kingdom/x/nolabel.jpg");
        Files.write(list, lines);
        IOException e = assertThrows(IOException.class, () -> build(in, Map.of()));
        assertTrue(e.getMessage().contains(INaturalist2018.TRAIN_LIST) && e.getMessage().contains("line 4:")
                && e.getMessage().contains("1 bad line"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("out-all").resolve("manifest")));
    }

    @Test
    void labelsOutOfRangeAreRejected() throws IOException {
        Path in = fixture(5);
        Path list = in.resolve(INaturalist2018.VAL_LIST);
        List<String> lines = new ArrayList<>(Files.readAllLines(list));
        lines.add("train_val2018/Kingdom/x/a.jpg 300");
        lines.add("train_val2018/Kingdom/x/b.jpg -1");
        Files.write(list, lines);
        IOException e = assertThrows(IOException.class, () -> build(in, Map.of()));
        assertTrue(e.getMessage().contains(INaturalist2018.VAL_LIST) && e.getMessage().contains("2 bad line")
                && e.getMessage().contains("label 300 is outside [0, 300)"), e.getMessage());
    }

    @Test
    void missingListFileIsNamed() throws IOException {
        Path in = fixture(5);
        Files.delete(in.resolve(INaturalist2018.VAL_LIST));
        IOException e = assertThrows(IOException.class, () -> build(in, Map.of()));
        assertTrue(e.getMessage().contains(INaturalist2018.VAL_LIST), e.getMessage());
    }
}
