package org.sp2ot.ml.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sp2ot.train.Adam;
import org.sp2ot.train.CheckpointCodec;
import org.sp2ot.train.EpochStats;
import org.sp2ot.train.LogitsBank;
import org.sp2ot.train.TrainingState;

class CheckpointStoreTest {

    private static TrainingState state(int epochsDone) {
        return new TrainingState("fp", epochsDone, new float[] {1, 2, 3},
                new Adam.State(new float[] {0.1f, 0.2f, 0.3f}, new float[] {1e-3f, 2e-3f, 3e-3f}, 17),
                new LogitsBank.State(new float[] {4, 5, 6, 7}, new int[] {8, 9}, 1, true), new double[] {0.5, -0.25},
                new float[] {3, 2, 1}, 0.75, 1, new float[] {0.5f, Float.NaN},
                List.of(new EpochStats(1, 0.75, 0.1, 900, 120.5, 3, 5e-4, 2.5, 0.12, 7, 0.4)));
    }

    @Test
    void codecRoundTripsEveryField() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TrainingState saved = state(1);
        CheckpointCodec.write(saved, bytes);
        TrainingState loaded = CheckpointCodec.read(new ByteArrayInputStream(bytes.toByteArray()), "memory");
        assertEquals(saved.fingerprint(), loaded.fingerprint());
        assertEquals(saved.epochsDone(), loaded.epochsDone());
        assertArrayEquals(saved.head(), loaded.head());
        assertEquals(saved.adam(), loaded.adam());
        assertEquals(saved.bank(), loaded.bank());
        assertArrayEquals(saved.solverWarmState(), loaded.solverWarmState());
        assertArrayEquals(saved.bestHead(), loaded.bestHead());
        assertEquals(saved.bestLoss(), loaded.bestLoss());
        assertEquals(saved.bestEpoch(), loaded.bestEpoch());
        assertArrayEquals(saved.sampleWeights(), loaded.sampleWeights());
        assertEquals(saved.history(), loaded.history());
    }

    @Test
    void truncatedCheckpointIsDetected() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CheckpointCodec.write(state(1), bytes);
        byte[] cut = Arrays.copyOf(bytes.toByteArray(), bytes.size() - 20);
        IOException error = assertThrows(IOException.class,
                () -> CheckpointCodec.read(new ByteArrayInputStream(cut), "cut"));
        assertTrue(error.getMessage().contains("truncated"), error.getMessage());
    }

    @Test
    void flippedByteFailsTheCrc() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CheckpointCodec.write(state(1), bytes);
        byte[] damaged = bytes.toByteArray();
        damaged[damaged.length - 30] ^= 1;
        IOException error = assertThrows(IOException.class,
                () -> CheckpointCodec.read(new ByteArrayInputStream(damaged), "damaged"));
        assertTrue(error.getMessage().contains("CRC"), error.getMessage());
    }

    @Test
    void storeResumesFromTheNewestAndKeepsOnlyTheConfiguredNumber(@TempDir Path dir) throws IOException {
        HadoopCheckpointStore store = new HadoopCheckpointStore(new Configuration(), dir.toString(), 2);
        for (int epoch = 1; epoch <= 3; epoch++) {
            store.save(state(epoch));
        }
        assertEquals(3, store.latest().orElseThrow().epochsDone());
        assertFalse(Files.exists(dir.resolve("epoch-1")));
        assertTrue(Files.exists(dir.resolve("epoch-2")));
    }

    @Test
    void damagedNewestCheckpointFallsBackToThePreviousOne(@TempDir Path dir) throws IOException {
        HadoopCheckpointStore store = new HadoopCheckpointStore(new Configuration(), dir.toString(), 3);
        store.save(state(1));
        Files.write(dir.resolve("epoch-2"), new byte[] {1, 2, 3});
        assertEquals(1, store.latest().orElseThrow().epochsDone());
    }

    @Test
    void emptyDirectoryHasNoCheckpoint(@TempDir Path dir) throws IOException {
        assertTrue(new HadoopCheckpointStore(new Configuration(), dir.resolve("none").toString(), 1).latest().isEmpty());
    }
}
