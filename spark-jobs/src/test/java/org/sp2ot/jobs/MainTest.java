package org.sp2ot.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sp2ot.jobs.cli.Args;
import org.sp2ot.jobs.cli.ExitCodes;
import org.sp2ot.jobs.cli.UsageException;

class MainTest {

    @TempDir
    Path dir;

    @Test
    void everyCommandOfTheDesignIsWired() {
        assertTrue(Main.commands().keySet().containsAll(
                List.of("run", "manifest", "extract", "knn", "train", "assign", "evaluate", "solve", "bench")), Main.commands().keySet()
                .toString());
    }

    @Test
    void everyBenchTargetIsWired() {
        assertTrue(Main.commands().get("bench").summary().contains("solver | knn | extract | train"),
                Main.commands().get("bench").summary());
    }

    @Test
    void noArgumentsIsAUsageError() {
        assertEquals(2, Main.run(new String[0]));
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertEquals(2, Main.run(new String[] {"cluster"}));
    }

    @Test
    void benchWithoutTargetIsAUsageError() {
        assertEquals(2, Main.run(new String[] {"bench"}));
        assertEquals(2, Main.run(new String[] {"bench", "nothing"}));
    }

    private Path demoWith(String extra) throws IOException {
        Path conf = dir.resolve("run.conf");
        Files.writeString(conf, "include file(\"" + Path.of("..", "conf", "demo.conf").toAbsolutePath() + "\")\n"
                + "out = \"" + dir.resolve("runs") + "\"\n" + extra);
        return conf;
    }

    @Test
    void badConfigFailsBeforeAnyOutputExists() throws IOException {
        Path conf = demoWith("train.k = 1\n");
        assertEquals(2, Main.run(new String[] {"run", "--config", conf.toString()}));
        assertFalse(Files.exists(dir.resolve("runs")));
    }

    @Test
    void missingInputFailsBeforeAnyOutputExists() throws IOException {
        Path conf = demoWith("input { type = features, path = \"" + dir.resolve("none.parquet") + "\" }\n");
        UsageException e = assertThrows(UsageException.class,
                () -> new RunCommand().run(Args.parse(new String[] {"--config", conf.toString()})));
        assertTrue(e.getMessage().contains("input.path"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("runs")));
    }

    @Test
    void unknownOptionOfRunIsRejected() throws IOException {
        Path conf = demoWith("");
        UsageException e = assertThrows(UsageException.class,
                () -> new RunCommand().run(Args.parse(new String[] {"--config", conf.toString(), "--overwirte"})));
        assertTrue(e.getMessage().contains("--overwirte"), e.getMessage());
    }

    @Test
    void oneStageNeedsTheRunId() throws IOException {
        Path conf = demoWith("");
        UsageException e = assertThrows(UsageException.class,
                () -> new StageCommand("train").run(Args.parse(new String[] {"--config", conf.toString()})));
        assertTrue(e.getMessage().contains("--run-id"), e.getMessage());
    }

    /** Runs {@code argv} through the launcher; returns the status, stdout and stderr. */
    private static String[] launch(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {String.valueOf(status), out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void everyCommandHasHelpWithUsageOptionsAndAnExample() {
        for (String name : Main.commands().keySet()) {
            for (String flag : List.of("--help", "-h")) {
                String[] r = launch(name, flag);
                assertEquals("0", r[0], name + " " + flag + ": " + r[2]);
                assertTrue(r[1].startsWith("usage: sp2ot " + name), name + ":\n" + r[1]);
                assertTrue(r[1].contains("Options") && r[1].contains("Example"), name + ":\n" + r[1]);
            }
            assertEquals(launch(name, "--help")[1], launch("help", name)[1]);
        }
        String[] r = launch("run", "--config", "x.conf", "--help");
        assertEquals("0", r[0], "help wins over the other options");
        assertTrue(r[1].contains("--overwrite"));
    }

    @Test
    void topLevelHelpListsEveryCommandAndTheExitCodes() {
        for (String flag : List.of("--help", "-h", "help")) {
            String[] r = launch(flag);
            assertEquals("0", r[0], flag);
            for (String name : Main.commands().keySet()) {
                assertTrue(r[1].contains("  " + name + " "), flag + " lists " + name + ":\n" + r[1]);
            }
            assertTrue(r[1].contains("3 busy"), r[1]);
        }
    }

    @Test
    void misspeltCommandGetsTheLikelyIntendedOne() {
        String[] r = launch("rnu", "--config", "x.conf");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("unknown command 'rnu' (did you mean run?)"), r[2]);
        assertTrue(launch("evalute")[2].contains("did you mean evaluate?"));
        assertTrue(launch("bench", "solvr")[2].contains("did you mean solver?"));
    }

    @Test
    void inputPathWithTheDemoConfigExits2() {
        String[] r = launch("run", "--config", Path.of("..", "conf", "demo.conf").toString(), "--set",
                "input=feat.npy", "--set", "out=" + dir.resolve("runs"));
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("input.path is set, but input.type = demo does not read it"), r[2]);
        assertFalse(r[2].contains("\tat "), "no stack trace for a config error:\n" + r[2]);
        assertFalse(Files.exists(dir.resolve("runs")));
    }

    @Test
    void fractionalEpochsExit2() {
        String[] r = launch("run", "--config", Path.of("..", "conf", "demo.conf").toString(), "--set",
                "train.epochs=1.5", "--set", "out=" + dir.resolve("runs"));
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("train.epochs must be an integer"), r[2]);
        assertFalse(r[2].contains("\tat "), r[2]);
    }

    @Test
    void exitCodesComeFromTheExceptionWhereverItIsWrapped() {
        assertEquals(ExitCodes.USAGE, ExitCodes.of(new UsageException("bad")));
        assertEquals(ExitCodes.USAGE, ExitCodes.of(new RuntimeException("job aborted",
                new IllegalStateException("task", new UsageException("NaN in row 7")))));
        assertEquals(ExitCodes.BUSY, ExitCodes.of(new org.sp2ot.jobs.cli.BusyException("locked")));
        assertEquals(ExitCodes.USAGE, ExitCodes.of(new org.sp2ot.solver.DivergenceException("eps too small")));
        assertEquals(ExitCodes.FAILURE, ExitCodes.of(new java.io.IOException("disk full")));
        assertEquals(ExitCodes.FAILURE, ExitCodes.of(new IllegalStateException("bug")));

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(ExitCodes.USAGE, Main.report("train", new RuntimeException(
                new org.sp2ot.solver.DivergenceException("scaling diverged with eps=0.01")), stream));
        assertEquals("sp2ot train: scaling diverged with eps=0.01\n", err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(ExitCodes.FAILURE, Main.report("train", new java.io.IOException("disk full"), stream));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("\tat "), "a failure keeps its stack trace");
    }
}
