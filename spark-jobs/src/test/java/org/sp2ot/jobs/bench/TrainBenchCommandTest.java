package org.sp2ot.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sp2ot.jobs.cli.Args;
import org.sp2ot.jobs.cli.UsageException;

class TrainBenchCommandTest {

    @Test
    void timesATinyRunOfEachMethod() {
        int status = new TrainBenchCommand().run(Args.parse(new String[] {"--preset", "random", "--n", "64", "--dim",
            "4", "--k", "3,4", "--batch", "16", "--bank", "32", "--knn-k", "3", "--methods", "p2ot,sp2ot", "--backend",
            "cpu"}));
        assertEquals(0, status);
    }

    @Test
    void batchLargerThanNIsAUsageError() {
        UsageException error = assertThrows(UsageException.class, () -> new TrainBenchCommand().run(
                Args.parse(new String[] {"--preset", "random", "--n", "64", "--dim", "4", "--k", "3", "--batch", "128",
                        "--bank", "0"})));
        assertTrue(error.getMessage().contains("batchSize=128 exceeds the number of samples N=64"), error.getMessage());
    }

    @Test
    void zeroEpochsIsAUsageError() {
        UsageException error = usageErrorOfATinyRunWith("--epochs", "0");
        assertTrue(error.getMessage().contains("--epochs"), error.getMessage());
    }

    @Test
    void aNegativeWarmupIsAUsageError() {
        UsageException error = usageErrorOfATinyRunWith("--warmup", "-1");
        assertTrue(error.getMessage().contains("--warmup"), error.getMessage());
    }

    /** The usage error of a tiny random-preset run with one more option. */
    private static UsageException usageErrorOfATinyRunWith(String option, String value) {
        return assertThrows(UsageException.class, () -> new TrainBenchCommand().run(
                Args.parse(new String[] {"--preset", "random", "--n", "64", "--dim", "4", "--k", "3", "--batch", "16",
                        "--bank", "32", option, value})));
    }
}
