package org.sp2ot.train;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The binary form of a {@link TrainingState}: magic {@code SP2OTCKP}, a format version, the fields in a fixed order
 * (arrays as length + little-endian values), then the CRC32 of everything before it, so a truncated or damaged file
 * is detected instead of resumed from.
 */
public final class CheckpointCodec {
    private static final byte[] MAGIC = "SP2OTCKP".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 2;

    private CheckpointCodec() {
    }

    /** Writes {@code state} to {@code out} (not closed). */
    public static void write(TrainingState state, OutputStream out) throws IOException {
        CRC32 crc = new CRC32();
        DataOutputStream data = new DataOutputStream(new CheckedOutputStream(out, crc));
        data.write(MAGIC);
        data.writeInt(VERSION);
        data.writeUTF(state.fingerprint());
        data.writeInt(state.epochsDone());
        writeFloats(data, state.head());
        writeFloats(data, state.adam().firstMoment());
        writeFloats(data, state.adam().secondMoment());
        data.writeLong(state.adam().steps());
        data.writeBoolean(state.bank() != null);
        if (state.bank() != null) {
            writeFloats(data, state.bank().logits());
            writeInts(data, state.bank().ids());
            data.writeInt(state.bank().next());
            data.writeBoolean(state.bank().filled());
        }
        writeDoubles(data, state.solverWarmState() == null ? new double[0] : state.solverWarmState());
        writeFloats(data, state.bestHead());
        data.writeDouble(state.bestLoss());
        data.writeInt(state.bestEpoch());
        writeFloats(data, state.sampleWeights());
        data.writeInt(state.history().size());
        for (EpochStats stats : state.history()) {
            data.writeInt(stats.epoch());
            data.writeDouble(stats.loss());
            data.writeDouble(stats.rho());
            data.writeDouble(stats.lam());
            data.writeDouble(stats.meanIterations());
            data.writeDouble(stats.meanMmSteps());
            data.writeDouble(stats.learningRate());
            data.writeDouble(stats.seconds());
            data.writeDouble(stats.meanWeight());
            data.writeInt(stats.clustersUsed());
            data.writeDouble(stats.largestShare());
        }
        data.flush();
        new DataOutputStream(out).writeLong(crc.getValue());
        out.flush();
    }

    /**
     * Reads a state written by {@link #write}.
     *
     * @throws IOException when the stream is not a checkpoint, has another version, is truncated or fails its CRC
     */
    public static TrainingState read(InputStream in, String source) throws IOException {
        CRC32 crc = new CRC32();
        DataInputStream data = new DataInputStream(new CheckedInputStream(in, crc));
        try {
            byte[] magic = new byte[MAGIC.length];
            data.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException(source + " is not an sp2ot training checkpoint");
            }
            int version = data.readInt();
            if (version != VERSION) {
                throw new IOException(source + " has checkpoint format " + version + ", this build reads " + VERSION);
            }
            String fingerprint = data.readUTF();
            int epochsDone = data.readInt();
            float[] head = readFloats(data);
            float[] first = readFloats(data);
            float[] second = readFloats(data);
            Adam.State adam = new Adam.State(first, second, data.readLong());
            LogitsBank.State bank = null;
            if (data.readBoolean()) {
                float[] logits = readFloats(data);
                int[] ids = readInts(data);
                bank = new LogitsBank.State(logits, ids, data.readInt(), data.readBoolean());
            }
            double[] warm = readDoubles(data);
            float[] bestHead = readFloats(data);
            double bestLoss = data.readDouble();
            int bestEpoch = data.readInt();
            float[] weights = readFloats(data);
            int historySize = data.readInt();
            List<EpochStats> history = new ArrayList<>(historySize);
            for (int i = 0; i < historySize; i++) {
                history.add(new EpochStats(data.readInt(), data.readDouble(), data.readDouble(), data.readDouble(),
                        data.readDouble(), data.readDouble(), data.readDouble(), data.readDouble(), data.readDouble(),
                        data.readInt(), data.readDouble()));
            }
            long computed = crc.getValue();
            long stored = new DataInputStream(in).readLong();
            if (computed != stored) {
                throw new IOException(source + " fails its CRC check (damaged checkpoint)");
            }
            return new TrainingState(fingerprint, epochsDone, head, adam, bank, warm, bestHead, bestLoss, bestEpoch,
                    weights, history);
        } catch (EOFException e) {
            throw new IOException(source + " is truncated (incomplete checkpoint)", e);
        }
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        out.writeInt(values.length);
        out.write(buffer.array());
    }

    private static void writeInts(DataOutputStream out, int[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asIntBuffer().put(values);
        out.writeInt(values.length);
        out.write(buffer.array());
    }

    private static void writeDoubles(DataOutputStream out, double[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asDoubleBuffer().put(values);
        out.writeInt(values.length);
        out.write(buffer.array());
    }

    private static ByteBuffer readBlock(DataInputStream in, int elementBytes) throws IOException {
        int length = in.readInt();
        if (length < 0 || (long) length * elementBytes > Integer.MAX_VALUE - 8) {
            throw new IOException("corrupt array length " + length);
        }
        byte[] bytes = new byte[length * elementBytes];
        in.readFully(bytes);
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static float[] readFloats(DataInputStream in) throws IOException {
        ByteBuffer buffer = readBlock(in, Float.BYTES);
        float[] values = new float[buffer.capacity() / Float.BYTES];
        buffer.asFloatBuffer().get(values);
        return values;
    }

    private static int[] readInts(DataInputStream in) throws IOException {
        ByteBuffer buffer = readBlock(in, Integer.BYTES);
        int[] values = new int[buffer.capacity() / Integer.BYTES];
        buffer.asIntBuffer().get(values);
        return values;
    }

    private static double[] readDoubles(DataInputStream in) throws IOException {
        ByteBuffer buffer = readBlock(in, Double.BYTES);
        double[] values = new double[buffer.capacity() / Double.BYTES];
        buffer.asDoubleBuffer().get(values);
        return values;
    }
}
