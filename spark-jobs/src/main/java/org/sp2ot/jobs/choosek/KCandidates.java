package org.sp2ot.jobs.choosek;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.sp2ot.jobs.cli.UsageException;

/**
 * The candidate numbers of clusters of {@code choose-k --k}: a list ({@code 5,10,20}) or a range
 * {@code FROM:TO[:STEP]} (both ends included, step 1 by default). Every candidate is at least 2; the result is
 * sorted and free of repeats.
 */
public final class KCandidates {

    private KCandidates() {
    }

    /** Parses the {@code --k} value; a {@link UsageException} shows the accepted forms. */
    public static List<Integer> parse(String text) {
        String spec = text == null ? "" : text.trim();
        if (spec.isEmpty()) {
            throw usage("--k is empty");
        }
        TreeSet<Integer> ks = new TreeSet<>();
        if (spec.contains(":")) {
            String[] parts = spec.split(":", -1);
            if (parts.length < 2 || parts.length > 3) {
                throw usage("--k '" + spec + "' is not FROM:TO or FROM:TO:STEP");
            }
            int from = number(parts[0], spec);
            int to = number(parts[1], spec);
            int step = parts.length == 3 ? number(parts[2], spec) : 1;
            if (step < 1) {
                throw usage("--k '" + spec + "': STEP must be at least 1");
            }
            if (to < from) {
                throw usage("--k '" + spec + "': TO must not be below FROM");
            }
            for (long k = from; k <= to; k += step) {
                ks.add((int) k);
            }
        } else {
            for (String part : spec.split(",")) {
                ks.add(number(part, spec));
            }
        }
        if (ks.first() < 2) {
            throw usage("--k '" + spec + "' holds " + ks.first() + "; every candidate K must be at least 2");
        }
        if (ks.size() < 2) {
            throw usage("--k '" + spec + "' gives one candidate; give at least two to choose between");
        }
        return List.copyOf(new ArrayList<>(ks));
    }

    private static int number(String part, String spec) {
        try {
            return Integer.parseInt(part.trim());
        } catch (NumberFormatException e) {
            throw usage("--k '" + spec + "': '" + part.trim() + "' is not an integer");
        }
    }

    private static UsageException usage(String problem) {
        return new UsageException(problem + " (use a list like --k 5,10,20 or a range like --k 5:50:5)");
    }
}
