package org.sp2ot.jobs.it;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.sp2ot.datasets.SyntheticLongTail;
import org.sp2ot.ml.knn.KnnGraphBuilder;
import org.sp2ot.ml.knn.KnnOptions;

/**
 * Failure drill run in its own JVM by {@link FailureDrillsIT}: a Spark session on {@code local[2,2]} (two attempts
 * per task, which local mode allows only when asked), the k-NN stage built once from clean input and once from input
 * whose first partition fails on its first attempt. Prints {@code failed-tasks=N identical=B} and exits 0 only when
 * a task did fail and Spark's retry produced the same graph.
 */
public final class FlakyTaskDrill {

    private FlakyTaskDrill() {
    }

    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder().master("local[2,2]").appName("flaky-task-drill")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
        AtomicInteger failedTasks = new AtomicInteger();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (!end.taskInfo().successful()) {
                    failedTasks.incrementAndGet();
                }
            }
        });
        Dataset<Row> features = SyntheticLongTail.of(SyntheticLongTail.Preset.SMALL, SyntheticLongTail.DEFAULT_SEED)
                .features(spark, 4).where(functions.col("id").lt(1500)).select("id", "features");
        KnnOptions options = KnnOptions.defaults().withK(10);
        List<Row> clean = KnnGraphBuilder.build(features, options).orderBy("id").collectAsList();

        MapFunction<Row, Row> failFirstAttemptOfPartitionZero = row -> {
            TaskContext task = TaskContext.get();
            if (task.partitionId() == 0 && task.attemptNumber() == 0) {
                throw new IllegalStateException("drill: first attempt of partition 0 fails");
            }
            return row;
        };
        Dataset<Row> flaky = features.map(failFirstAttemptOfPartitionZero, Encoders.row(features.schema()));
        List<Row> retried = KnnGraphBuilder.build(flaky, options).orderBy("id").collectAsList();

        boolean identical = clean.equals(retried);
        System.out.println("rows=" + clean.size() + " failed-tasks=" + failedTasks.get() + " identical=" + identical);
        spark.stop();
        System.exit(identical && failedTasks.get() > 0 ? 0 : 1);
    }
}
