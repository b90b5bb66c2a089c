package org.sp2ot.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sp2ot.datasets.io.Npy;

class FeatureTableTest {

    @TempDir
    Path dir;

    private static float[] features(Row r) {
        List<Float> list = r.getList(r.fieldIndex("features"));
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }

    private String parquet(List<Row> rows, StructType schema) {
        SparkSession spark = SparkTestSession.get();
        String path = dir.resolve("table.parquet").toString();
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(path);
        return path;
    }

    @Test
    void readsParquetWithADoubleArrayColumnAndIds() throws IOException {
        StructType schema = new StructType().add("id", DataTypes.IntegerType)
                .add("emb", DataTypes.createArrayType(DataTypes.DoubleType)).add("label", DataTypes.LongType);
        String path = parquet(List.of(RowFactory.create(1, new Double[] {0.5, 1.0}, 3L),
                RowFactory.create(0, new Double[] {2.0, -1.0}, 0L)), schema);
        List<Row> rows = FeatureTable.read(SparkTestSession.get(), path, "auto", Map.of("features-col", "emb"))
                .orderBy("id").collectAsList();
        assertEquals(0L, rows.get(0).getLong(0));
        assertArrayEquals(new float[] {2f, -1f}, features(rows.get(0)));
        assertEquals(3, rows.get(1).getInt(2));
    }

    @Test
    void readsAnMlVectorColumnAndNumbersRowsWithoutIds() throws IOException {
        StructType schema = new StructType().add("features", new VectorUDT());
        String path = parquet(List.of(RowFactory.create(Vectors.dense(1, 2, 3)),
                RowFactory.create(Vectors.sparse(3, new int[] {1}, new double[] {4}))), schema);
        Dataset<Row> table = FeatureTable.read(SparkTestSession.get(), path, "parquet", Map.of());
        List<Row> rows = table.orderBy("id").collectAsList();
        assertEquals(2, rows.size());
        assertEquals(List.of(0L, 1L), List.of(rows.get(0).getLong(0), rows.get(1).getLong(0)));
        assertTrue(rows.get(0).isNullAt(2));
        float[] a = features(rows.get(0));
        float[] b = features(rows.get(1));
        assertTrue(java.util.Arrays.equals(a, new float[] {1, 2, 3}) || java.util.Arrays.equals(b, new float[] {1, 2, 3}));
        assertTrue(java.util.Arrays.equals(a, new float[] {0, 4, 0}) || java.util.Arrays.equals(b, new float[] {0, 4, 0}));
    }

    @Test
    void readsNpyFeaturesWithNpyLabels() throws IOException {
        Path f = dir.resolve("x.npy");
        Path l = dir.resolve("y.npy");
        Npy.write(f, new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Npy.write(l, new long[] {2, 0, 1});
        List<Row> rows = FeatureTable.read(SparkTestSession.get(), f.toString(), "auto",
                Map.of("labels", l.toString())).orderBy("id").collectAsList();
        assertEquals(3, rows.size());
        assertArrayEquals(new float[] {5, 6}, features(rows.get(2)));
        assertEquals(1, rows.get(2).getInt(2));
    }

    @Test
    void npyLabelsMustMatchTheRows() throws IOException {
        Path f = dir.resolve("x.npy");
        Path l = dir.resolve("y.npy");
        Npy.write(f, new float[6], 3, 2);
        Npy.write(l, new int[] {1, 2});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureTable.read(
                SparkTestSession.get(), f.toString(), "npy", Map.of("labels", l.toString())));
        assertTrue(e.getMessage().contains("one label per row"), e.getMessage());
    }

    @Test
    void readsCsvWithAHeaderNamingIdAndLabel() throws IOException {
        Path f = dir.resolve("t.csv");
        Files.write(f, List.of("label,f0,f1,id", "4,0.5,1.5,1", "2,-1,0,0"));
        List<Row> rows = FeatureTable.read(SparkTestSession.get(), f.toString(), "auto",
                Map.of("header", "true")).orderBy("id").collectAsList();
        assertArrayEquals(new float[] {-1f, 0f}, features(rows.get(0)));
        assertEquals(2, rows.get(0).getInt(2));
        assertEquals(4, rows.get(1).getInt(2));
    }

    @Test
    void readsCsvWithoutHeaderAndTheLabelLast() throws IOException {
        Path f = dir.resolve("t.csv");
        Files.write(f, List.of("0.1,0.2,7", "0.3,0.4,8"));
        List<Row> rows = FeatureTable.read(SparkTestSession.get(), f.toString(), "csv",
                Map.of("label-column", "last")).orderBy("id").collectAsList();
        assertArrayEquals(new float[] {0.3f, 0.4f}, features(rows.get(1)));
        assertEquals(8, rows.get(1).getInt(2));
    }

    @Test
    void rejectsNonFiniteRowsNamingTheirIds() throws IOException {
        Path f = dir.resolve("t.csv");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            lines.add(i == 3 ? "NaN,1" : i == 7 ? "1,Infinity" : "1,2");
        }
        Files.write(f, lines);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FeatureTable.read(SparkTestSession.get(), f.toString(), "csv", Map.of()));
        assertTrue(e.getMessage().contains("2 rows with invalid features") && e.getMessage().contains("id 3 (NaN")
                && e.getMessage().contains("id 7 (NaN"), e.getMessage());
    }

    @Test
    void rejectsRowsOfTheWrongDimensionNamingTheirIds() throws IOException {
        Path f = dir.resolve("t.csv");
        Files.write(f, List.of("1,2,3", "1,2,3", "1,2", "1,2,3"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FeatureTable.read(SparkTestSession.get(), f.toString(), "csv", Map.of()));
        assertTrue(e.getMessage().contains("id 2 (dimension 2, expected 3)"), e.getMessage());
        IllegalArgumentException e4 = assertThrows(IllegalArgumentException.class,
                () -> FeatureTable.read(SparkTestSession.get(), f.toString(), "csv", Map.of("dim", "2")));
        assertTrue(e4.getMessage().contains("3 rows with invalid features"), e4.getMessage());
    }

    @Test
    void rejectsIdsThatAreNotDense() throws IOException {
        Path f = dir.resolve("t.csv");
        Files.write(f, List.of("id,a", "0,1", "5,2"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FeatureTable.read(SparkTestSession.get(), f.toString(), "csv", Map.of("header", "true")));
        assertTrue(e.getMessage().contains("ids must be 0..1"), e.getMessage());
    }

    @Test
    void rejectsUnparsableCsvNamingTheLine() throws IOException {
        Path f = dir.resolve("t.csv");
        Files.write(f, List.of("1,2", "1,x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FeatureTable.read(SparkTestSession.get(), f.toString(), "csv", Map.of()));
        assertTrue(e.getMessage().contains("line 2, column 2: 'x'"), e.getMessage());
    }

    @Test
    void manifestHasTheSameIdsAndLabelsAndNoPaths() throws IOException {
        Path f = dir.resolve("t.csv");
        Files.write(f, List.of("1,2,0", "3,4,1"));
        Dataset<Row> features = FeatureTable.read(SparkTestSession.get(), f.toString(), "csv",
                Map.of("label-column", "last"));
        Dataset<Row> manifest = FeatureTable.manifestFor(features);
        assertEquals(Manifests.MANIFEST_SCHEMA, manifest.schema());
        List<Row> rows = manifest.orderBy("id").collectAsList();
        assertEquals(1L, rows.get(1).getLong(0));
        assertNull(rows.get(1).get(1));
        assertEquals(1, rows.get(1).getInt(2));
        assertEquals("train", rows.get(1).getString(4));
    }

    @Test
    void aMissingTableIsNamed() {
        IOException e = assertThrows(IOException.class, () -> FeatureTable.read(SparkTestSession.get(),
                dir.resolve("none.parquet").toString(), "auto", Map.of()));
        assertTrue(e.getMessage().contains("none.parquet"), e.getMessage());
    }
}
