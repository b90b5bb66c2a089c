package org.sp2ot.jobs.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sp2ot.jobs.io.RunDirectory;

class EvaluateOutputsOnHdfsTest {

    @Test
    void writesMetricsJsonAndReportHtmlToAnHdfsRunDirectory(@TempDir Path base) throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        try {
            cluster.waitActive();
            String out = cluster.getFileSystem().getUri() + "/runs";
            assertTrue(out.startsWith("hdfs://"), out);
            EvaluationReport report = ReportFixtures.twoMethods();
            try (RunDirectory run = RunDirectory.open(conf, out, "r1")) {
                EvaluateStage.writeOutputs(run, report, ReportViews.none(),
                        org.sp2ot.jobs.extract.ImageFailures.Summary.NONE, report.parameters());
            }
            FileSystem fs = cluster.getFileSystem();
            assertEquals(MetricsJson.toJson(report), read(fs, out + "/r1/" + MetricsJson.FILE_NAME));
            assertEquals(ReportHtml.render(report), read(fs, out + "/r1/" + ReportHtml.FILE_NAME));
        } finally {
            cluster.shutdown();
        }
    }

    private static String read(FileSystem fs, String path) throws Exception {
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(path))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
