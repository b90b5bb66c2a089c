package org.sp2ot.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sp2ot.jobs.bench.TrainBenchCommand;
import org.sp2ot.jobs.cli.Args;

/** {@code sp2ot bench --help} names only options its targets accept. */
class BenchHelpTest {

    /** A tiny valid value for every option the help may list for {@code bench train}. */
    private static final Map<String, String> TINY_TRAIN_VALUES = Map.ofEntries(
            Map.entry("--preset", "random"),
            Map.entry("--n", "64"),
            Map.entry("--k", "3"),
            Map.entry("--batch", "16"),
            Map.entry("--bank", "32"),
            Map.entry("--knn-k", "3"),
            Map.entry("--methods", "p2ot"),
            Map.entry("--backend", "cpu"),
            Map.entry("--seed", "1"),
            Map.entry("--dim", "4"),
            Map.entry("--warmup", "1"),
            Map.entry("--epochs", "2"));

    @Test
    void everyTrainOptionInTheHelpIsAcceptedByBenchTrain() {
        String help = new BenchCommand(List.of(new TrainBenchCommand())).help();
        Set<String> listed = optionsOf(help, "train");
        assertFalse(listed.isEmpty(), help);
        List<String> argv = new ArrayList<>();
        for (String option : listed) {
            String value = TINY_TRAIN_VALUES.get(option);
            assertNotNull(value, "the help lists " + option + " for bench train; give it a tiny value in this test"
                    + " (or drop it from the help if bench train does not take it)");
            argv.add(option);
            argv.add(value);
        }
        // an option bench train does not take fails here as "unknown option(s)"
        assertEquals(0, new TrainBenchCommand().run(Args.parse(argv.toArray(new String[0]))));
    }

    /**
     * The {@code --options} on the help's option lines for one target: its line in "Options per target" (the target
     * list above it has no options) and the indented lines after it.
     */
    private static Set<String> optionsOf(String help, String target) {
        Set<String> options = new LinkedHashSet<>();
        boolean inside = false;
        Pattern option = Pattern.compile("--[a-z][a-z-]*");
        for (String line : help.split("\n")) {
            if (!inside && line.startsWith("  " + target + " ") && line.contains(" --")) {
                inside = true;
            } else if (inside && !line.startsWith("           ")) {
                break;
            }
            if (inside) {
                Matcher m = option.matcher(line);
                while (m.find()) {
                    options.add(m.group());
                }
            }
        }
        return options;
    }
}
