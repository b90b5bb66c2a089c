package org.sp2ot.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.sp2ot.jobs.cli.Args;
import org.sp2ot.jobs.cli.UsageException;

class SolverBenchTest {

    @Test
    void smallRunPrintsARowPerSolver() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, new SolverBench().run(Args.parse(new String[] {"--n", "64", "--k", "4", "--rho", "0.5",
                    "--repeats", "1", "--no-aparapi"})));
        } finally {
            System.setOut(original);
        }
        String table = captured.toString(StandardCharsets.UTF_8);
        for (String solver : new String[] {"p2ot-ref", "p2ot-plain", "p2ot-fast", "gsa-fast", "ot-fast"}) {
            assertTrue(table.contains(solver), solver + " missing from\n" + table);
        }
    }

    @Test
    void clusterCountAboveSampleCountIsAUsageError() {
        UsageException e = assertThrows(UsageException.class,
                () -> new SolverBench().run(Args.parse(new String[] {"--n", "8", "--k", "16"})));
        assertTrue(e.getMessage().contains("k must lie in 1..n=8"), e.getMessage());
    }
}
