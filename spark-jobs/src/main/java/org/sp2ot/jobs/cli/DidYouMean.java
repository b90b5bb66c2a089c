package org.sp2ot.jobs.cli;

import java.util.Collection;

/** The known word most likely meant by a misspelt one (config keys, command names, bench targets). */
public final class DidYouMean {

    private DidYouMean() {
    }

    /** The candidate nearest to {@code word} by edit distance when within a third of its length (at least 2). */
    public static String closest(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = editDistance(word, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return bestDistance <= Math.max(2, word.length() / 3) ? best : null;
    }

    /** {@code " (did you mean X?)"} for the closest candidate, or "" when none is close. */
    public static String hint(String word, Collection<String> candidates) {
        String best = closest(word, candidates);
        return best == null ? "" : " (did you mean " + best + "?)";
    }

    /** Levenshtein distance (insert, delete, substitute: cost 1 each). */
    public static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
