package org.sp2ot.jobs.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --key value} / {@code --flag} arguments of one command. {@code --set k=v} may repeat and is
 * kept in order. Every option a command reads is recorded, so {@link #rejectUnread()} can name the ones
 * the user misspelt.
 */
public final class Args {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> flags = new LinkedHashSet<>();
    private final List<String> sets = new ArrayList<>();
    private final Set<String> read = new LinkedHashSet<>();

    private Args() {
    }

    /**
     * Parses {@code args}. A token {@code --name} followed by a token not starting with {@code --} is an option
     * with a value; otherwise it is a flag. Bare words are rejected.
     */
    public static Args parse(String[] args) {
        Args parsed = new Args();
        for (int i = 0; i < args.length; i++) {
            String token = args[i];
            if (!token.startsWith("--") || token.length() == 2) {
                throw new UsageException("unexpected argument '" + token + "': options are written --name value");
            }
            String name = token.substring(2);
            boolean hasValue = i + 1 < args.length && !args[i + 1].startsWith("--");
            if (name.equals("set")) {
                if (!hasValue || !args[i + 1].contains("=")) {
                    throw new UsageException("--set needs key=value, e.g. --set train.epochs=5");
                }
                parsed.sets.add(args[++i]);
            } else if (hasValue) {
                if (parsed.values.put(name, args[++i]) != null) {
                    throw new UsageException("option --" + name + " given twice");
                }
            } else {
                parsed.flags.add(name);
            }
        }
        return parsed;
    }

    /** The value of {@code --name}, or {@code null} when absent. */
    public String get(String name) {
        read.add(name);
        return values.get(name);
    }

    /** The value of {@code --name}, or {@code fallback} when absent. */
    public String get(String name, String fallback) {
        String value = get(name);
        return value == null ? fallback : value;
    }

    /** The value of {@code --name}; a {@link UsageException} naming it when absent. */
    public String require(String name) {
        String value = get(name);
        if (value == null) {
            throw new UsageException("missing required option --" + name);
        }
        return value;
    }

    public int getInt(String name, int fallback) {
        String value = get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be an integer, got '" + value + "'");
        }
    }

    public double getDouble(String name, double fallback) {
        String value = get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number, got '" + value + "'");
        }
    }

    /** Whether the flag {@code --name} (no value) was given. */
    public boolean flag(String name) {
        read.add(name);
        if (values.containsKey(name)) {
            throw new UsageException("--" + name + " is a flag and takes no value, got '" + values.get(name) + "'");
        }
        return flags.contains(name);
    }

    /** The {@code --set key=value} overrides in the order given. */
    public List<String> sets() {
        read.add("set");
        return Collections.unmodifiableList(sets);
    }

    /** Throws a {@link UsageException} naming every option that no {@code get}/{@code flag} call asked for. */
    public void rejectUnread() {
        List<String> unknown = new ArrayList<>();
        for (String name : values.keySet()) {
            if (!read.contains(name)) {
                unknown.add("--" + name);
            }
        }
        for (String name : flags) {
            if (!read.contains(name)) {
                unknown.add("--" + name);
            }
        }
        if (!sets.isEmpty() && !read.contains("set")) {
            unknown.add("--set");
        }
        if (!unknown.isEmpty()) {
            throw new UsageException("unknown option(s) " + String.join(", ", unknown) + " for this command");
        }
    }
}
