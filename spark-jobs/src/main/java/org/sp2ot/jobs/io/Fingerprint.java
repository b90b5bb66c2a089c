package org.sp2ot.jobs.io;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What produced one stage output: the stage's name, the fingerprints of the outputs it read ({@code upstream}) and
 * the config keys it reads with their (normalised) values. Its {@link #hash()} is a SHA-256 prefix of that text,
 * so two outputs agree exactly when their fingerprints are equal. A committed directory output holds its
 * fingerprint as the file {@value #FILE_NAME} ({@link #render()} / {@link #parse}); the text lists every key, so a
 * stale output can say which setting changed ({@link #differences}).
 */
public final class Fingerprint {
    /** The file a committed directory output holds its fingerprint in (hidden from Spark's readers). */
    public static final String FILE_NAME = "_FINGERPRINT";

    private final String stage;
    private final SortedMap<String, String> upstream;
    private final SortedMap<String, String> keys;

    public Fingerprint(String stage, Map<String, String> upstream, Map<String, String> keys) {
        this.stage = Objects.requireNonNull(stage);
        this.upstream = Collections.unmodifiableSortedMap(new TreeMap<>(upstream));
        this.keys = Collections.unmodifiableSortedMap(new TreeMap<>(keys));
    }

    public String stage() {
        return stage;
    }

    /** Upstream output name to its fingerprint hash. */
    public SortedMap<String, String> upstream() {
        return upstream;
    }

    /** Config key to its normalised value. */
    public SortedMap<String, String> keys() {
        return keys;
    }

    /** 16 hex digits of SHA-256 over the canonical text (stage, upstream hashes, keys and values). */
    public String hash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private String body() {
        StringBuilder text = new StringBuilder("stage ").append(stage).append('\n');
        upstream.forEach((name, hash) -> text.append("upstream ").append(name).append(' ').append(hash).append('\n'));
        keys.forEach((key, value) -> text.append("key ").append(key).append(' ').append(value).append('\n'));
        return text.toString();
    }

    /** The file content: {@code fingerprint <hash>} then the canonical text. */
    public String render() {
        return "fingerprint " + hash() + "\n" + body();
    }

    /** Reads {@link #render()}'s text back; null when it is not a fingerprint file (or its hash does not match). */
    public static Fingerprint parse(String text) {
        String stage = null;
        String declared = null;
        Map<String, String> upstream = new TreeMap<>();
        Map<String, String> keys = new TreeMap<>();
        for (String line : text.split("\n")) {
            int space = line.indexOf(' ');
            if (space < 0) {
                continue;
            }
            String kind = line.substring(0, space);
            String rest = line.substring(space + 1);
            int second = rest.indexOf(' ');
            switch (kind) {
                case "fingerprint" -> declared = rest;
                case "stage" -> stage = rest;
                case "upstream", "key" -> {
                    if (second < 0) {
                        return null;
                    }
                    (kind.equals("key") ? keys : upstream).put(rest.substring(0, second), rest.substring(second + 1));
                }
                default -> {
                    return null;
                }
            }
        }
        if (stage == null || declared == null) {
            return null;
        }
        Fingerprint parsed = new Fingerprint(stage, upstream, keys);
        return parsed.hash().equals(declared) ? parsed : null;
    }

    /**
     * What differs between {@code recorded} (an output's fingerprint; null when it has none) and this expected one,
     * for the console: {@code train.lam0 1000 -> 100}, {@code features changed}. Empty when they are equal.
     */
    public List<String> differences(Fingerprint recorded) {
        List<String> changes = new ArrayList<>();
        if (recorded == null) {
            changes.add("no fingerprint (written by an older or interrupted run)");
            return changes;
        }
        SortedMap<String, String> all = new TreeMap<>(keys);
        recorded.keys.forEach(all::putIfAbsent);
        for (String key : all.keySet()) {
            String was = recorded.keys.get(key);
            String now = keys.get(key);
            if (!Objects.equals(was, now)) {
                changes.add(key + " " + (was == null ? "(unset)" : was) + " -> " + (now == null ? "(unset)" : now));
            }
        }
        SortedMap<String, String> inputs = new TreeMap<>(upstream);
        recorded.upstream.forEach(inputs::putIfAbsent);
        for (String name : inputs.keySet()) {
            if (!Objects.equals(recorded.upstream.get(name), upstream.get(name))) {
                changes.add(name + " changed");
            }
        }
        if (changes.isEmpty() && !recorded.hash().equals(hash())) {
            changes.add("stage " + recorded.stage + " -> " + stage);
        }
        return changes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Fingerprint f && f.hash().equals(hash());
    }

    @Override
    public int hashCode() {
        return hash().hashCode();
    }

    @Override
    public String toString() {
        return stage + "@" + hash();
    }
}
