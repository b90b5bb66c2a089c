package org.sp2ot.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sp2ot.jobs.cli.Args;
import org.sp2ot.jobs.cli.UsageException;

class ManifestCommandTest {

    @TempDir
    Path dir;

    @Test
    void importsAFeatureTableAndPrintsTheStatistics() throws Exception {
        SparkTestSession.get();
        Path csv = dir.resolve("f.csv");
        Files.write(csv, List.of("1,2,0", "3,4,1", "5,6,1"));
        Path out = dir.resolve("out");
        PrintStream saved = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            status = new ManifestCommand().run(Args.parse(new String[] {"--dataset", "features", "--input",
                    csv.toString(), "--out", out.toString(), "--label-column", "last"}));
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, status);
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("3 train") && text.contains("imbalance ratio 2.000"), text);
        assertTrue(Files.isDirectory(out.resolve("manifest")) && Files.isRegularFile(out.resolve(
                "manifest-stats.json")));
    }

    @Test
    void anOptionTheDataSetDoesNotTakeIsAUsageError() {
        SparkTestSession.get();
        UsageException e = assertThrows(UsageException.class, () -> new ManifestCommand().run(Args.parse(
                new String[] {"--dataset", "folder", "--input", dir.toString(), "--out", dir.resolve("o").toString(),
                        "--imbalance", "50"})));
        assertTrue(e.getMessage().contains("imbalance"), e.getMessage());
    }

    @Test
    void anUnknownDataSetIsAUsageError() {
        UsageException e = assertThrows(UsageException.class, () -> new ManifestCommand().run(Args.parse(
                new String[] {"--dataset", "mnist", "--input", "x", "--out", "y"})));
        assertTrue(e.getMessage().contains("cifar100-lt"), e.getMessage());
    }
}
