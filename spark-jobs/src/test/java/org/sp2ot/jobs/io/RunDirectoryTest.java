package org.sp2ot.jobs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {

    @TempDir
    Path out;

    private RunDirectory open() throws IOException {
        return RunDirectory.open(new Configuration(), out.toString(), "r1");
    }

    private static void writeLocal(org.apache.hadoop.fs.Path dir, String name, String text) throws IOException {
        Files.writeString(Path.of(dir.toUri()).resolve(name), text);
    }

    @Test
    void stagedOutputIsInvisibleUntilCommitted() throws IOException {
        try (RunDirectory run = open()) {
            StageOutput stage = run.begin("knn", false);
            writeLocal(stage.staging(), "part-0", "rows");
            assertFalse(Files.exists(out.resolve("r1/knn")));
            assertTrue(stage.staging().toString().contains("/r1/_staging/knn-"));
            stage.commit();
            assertTrue(run.isComplete("knn"));
            assertEquals("rows", Files.readString(out.resolve("r1/knn/part-0")));
            assertTrue(Files.exists(out.resolve("r1/knn/_SUCCESS")));
        }
    }

    @Test
    void uncommittedStageLeavesNoCompleteLookingOutput() throws IOException {
        try (RunDirectory run = open()) {
            StageOutput stage = run.begin("features", false);
            writeLocal(stage.staging(), "part-0", "half");
            assertFalse(run.isComplete("features"));
            assertFalse(Files.exists(out.resolve("r1/features")));
        }
        assertFalse(Files.exists(out.resolve("r1/_staging")), "close removes failed stages' staging");
    }

    @Test
    void stagingLeftByAKilledRunIsRemovedOnOpen() throws IOException {
        Path leftover = Files.createDirectories(out.resolve("r1/_staging/features-0000"));
        Files.writeString(leftover.resolve("part-0"), "half");
        try (RunDirectory run = open()) {
            assertFalse(Files.exists(leftover));
            assertFalse(run.isComplete("features"));
        }
    }

    @Test
    void committedStageCannotBeBegunAgainWithoutOverwrite() throws IOException {
        try (RunDirectory run = open()) {
            run.begin("knn", false).commit();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> run.begin("knn", false));
            assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
        }
    }

    @Test
    void overwriteReplacesTheCommittedOutputWhole() throws IOException {
        try (RunDirectory run = open()) {
            StageOutput first = run.begin("knn", false);
            writeLocal(first.staging(), "old", "1");
            first.commit();
            StageOutput second = run.begin("knn", true);
            writeLocal(second.staging(), "new", "2");
            second.commit();
            assertFalse(Files.exists(out.resolve("r1/knn/old")));
            assertEquals("2", Files.readString(out.resolve("r1/knn/new")));
        }
    }

    @Test
    void nestedOutputsCommitSideBySide() throws IOException {
        try (RunDirectory run = open()) {
            run.begin("assignments/method=sp2ot", false).commit();
            run.begin("assignments/method=ot", false).commit();
            assertTrue(run.isComplete("assignments/method=sp2ot"));
            assertTrue(run.isComplete("assignments/method=ot"));
        }
    }

    @Test
    void fileOutputsAppearByRenameWithTheMarkLast() throws IOException {
        try (RunDirectory run = open()) {
            StageOutput stage = run.begin("evaluate", false);
            writeLocal(stage.staging(), "report.html", "<html/>");
            writeLocal(stage.staging(), "metrics.json", "{}");
            stage.commitFiles("report.html", "metrics.json");
            assertTrue(run.fileExists("metrics.json"));
            assertEquals("<html/>", Files.readString(out.resolve("r1/report.html")));
        }
    }

    @Test
    void fileCommitRefusesAMissingFile() throws IOException {
        try (RunDirectory run = open()) {
            StageOutput stage = run.begin("evaluate", false);
            assertThrows(IOException.class, () -> stage.commitFiles("metrics.json"));
            assertFalse(run.fileExists("metrics.json"));
        }
    }

    @Test
    void abortedStageLeavesNothing() throws IOException {
        try (RunDirectory run = open()) {
            StageOutput stage = run.begin("knn", false);
            stage.abort();
            assertFalse(Files.exists(Path.of(stage.staging().toUri())));
            assertFalse(run.isComplete("knn"));
        }
    }

    @Test
    void secondRunIntoTheSameDirectoryIsRefusedNamingTheLock() throws IOException {
        try (RunDirectory first = open()) {
            RunLock.RunLockedException e = assertThrows(RunLock.RunLockedException.class, this::open);
            assertTrue(e.getMessage().contains(first.lockFile().toString()), e.getMessage());
            assertTrue(e.getMessage().contains("delete the lock file"), e.getMessage());
        }
    }

    @Test
    void lockIsReleasedOnClose() throws IOException {
        open().close();
        assertFalse(Files.exists(out.resolve("r1/_lock")));
        open().close();
    }

    @Test
    void staleLockOfADeadProcessOnThisHostIsTakenOver() throws IOException, InterruptedException {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Files.createDirectories(out.resolve("r1"));
        String host = java.net.InetAddress.getLocalHost().getHostName();
        Files.writeString(out.resolve("r1/_lock"), "host=" + host + "\npid=" + dead.pid() + "\nstarted=x\n");
        try (RunDirectory run = open()) {
            String content = Files.readString(out.resolve("r1/_lock"), StandardCharsets.UTF_8);
            assertTrue(content.contains("pid=" + ProcessHandle.current().pid()), content);
        }
    }

    @Test
    void lockOfAnotherHostIsNeverTakenOver() throws IOException {
        Files.createDirectories(out.resolve("r1"));
        Files.writeString(out.resolve("r1/_lock"), "host=elsewhere.example\npid=1\nstarted=x\n");
        assertThrows(RunLock.RunLockedException.class, this::open);
        assertTrue(Files.exists(out.resolve("r1/_lock")));
    }

    @Test
    void liveLockOnThisHostIsRespected() {
        String live = RunLock.describeThisProcess();
        assertFalse(RunLock.isStale(live));
    }

    @Test
    void differentRunIdsDoNotShareALock() throws IOException {
        try (RunDirectory a = open();
             RunDirectory b = RunDirectory.open(new Configuration(), out.toString(), "r2")) {
            assertEquals(List.of("r1", "r2"), List.of(a.root().getName(), b.root().getName()));
        }
    }

    @Test
    void manifestPiecesOfAKilledRunAreRemovedWhenItsLockIsTakenOver() throws IOException, InterruptedException {
        // what ManifestBuilder's staging left in the run root when a run was killed while building the manifest
        Path piece = Files.createDirectories(out.resolve("r1/_staging-1a2b3c4d-manifest"));
        Files.writeString(piece.resolve("part-0"), "half");
        Files.writeString(out.resolve("r1/_staging-1a2b3c4d-manifest-stats.json"), "{");
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        String host = java.net.InetAddress.getLocalHost().getHostName();
        Files.writeString(out.resolve("r1/_lock"), "host=" + host + "\npid=" + dead.pid() + "\nstarted=x\n");
        try (RunDirectory run = open()) {
            try (var entries = Files.list(out.resolve("r1"))) {
                assertEquals(List.of("_lock"), entries.map(p -> p.getFileName().toString()).sorted().toList());
            }
        }
    }

    @Test
    void unwritableOutSaysSo() throws IOException {
        Path file = Files.writeString(out.resolve("a-file"), "not a directory");
        org.sp2ot.jobs.cli.UsageException e = assertThrows(org.sp2ot.jobs.cli.UsageException.class,
                () -> RunDirectory.open(new Configuration(), file.resolve("runs").toString(), "r1"));
        assertTrue(e.getMessage().contains("cannot be created or written") && e.getMessage().contains("--set out="),
                e.getMessage());
    }

    @Test
    void lockRefusalIsBusyNotAFailure() throws IOException {
        Files.createDirectories(out.resolve("r1"));
        Files.writeString(out.resolve("r1/_lock"), "host=elsewhere.example\npid=1\nstarted=x\n");
        RunLock.RunLockedException e = assertThrows(RunLock.RunLockedException.class, this::open);
        assertEquals(org.sp2ot.jobs.cli.ExitCodes.BUSY, org.sp2ot.jobs.cli.ExitCodes.of(e));
    }

    @Test
    void committedOutputCarriesItsFingerprint() throws IOException {
        Fingerprint print = new Fingerprint("knn", java.util.Map.of("features", "00ff"), java.util.Map.of("knn.k", "5"));
        try (RunDirectory run = open()) {
            assertTrue(run.fingerprint("knn") == null);
            StageOutput stage = run.begin("knn", print);
            assertFalse(run.isCurrent("knn", print));
            stage.commit();
            assertTrue(run.isCurrent("knn", print));
            assertEquals(print, run.fingerprint("knn"));
            assertFalse(run.isCurrent("knn", new Fingerprint("knn", java.util.Map.of("features", "00ff"),
                    java.util.Map.of("knn.k", "6"))));
        }
    }
}
