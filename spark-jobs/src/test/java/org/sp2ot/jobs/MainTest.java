package org.sp2ot.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sp2ot.jobs.cli.Args;
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
}
