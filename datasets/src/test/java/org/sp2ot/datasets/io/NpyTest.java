package org.sp2ot.datasets.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    @TempDir
    Path dir;

    /** A file laid out exactly as numpy.save writes it (version 1.0, header padded to 64 bytes). */
    private static byte[] numpyFile(String descr, String fortran, String shape, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }";
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer bb = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        bb.putShort((short) header.length());
        bb.put(header.getBytes(StandardCharsets.ISO_8859_1));
        bb.put(data);
        return bb.array();
    }

    private static byte[] littleEndianFloats(float... values) {
        ByteBuffer bb = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            bb.putFloat(v);
        }
        return bb.array();
    }

    @Test
    void readsAFileLaidOutAsNumpyWritesIt() throws IOException {
        byte[] file = numpyFile("<f4", "False", "(2, 3)", littleEndianFloats(0, 1, 2, 3, 4, 5));
        NpyArray array = Npy.read(new ByteArrayInputStream(file));
        assertArrayEquals(new int[] {2, 3}, array.shape());
        assertEquals(NpyDtype.FLOAT32, array.dtype());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, array.toFloatArray());
    }

    @Test
    void writesTheSameBytesAsNumpy() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, new float[] {0, 1, 2, 3, 4, 5}, 2, 3);
        assertArrayEquals(numpyFile("<f4", "False", "(2, 3)", littleEndianFloats(0, 1, 2, 3, 4, 5)),
                out.toByteArray());
    }

    @Test
    void headerIsPaddedToA64ByteBoundary() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, new long[] {7}, 1);
        byte[] bytes = out.toByteArray();
        assertEquals(0, (bytes.length - 8) % 64);
        assertEquals('\n', bytes[bytes.length - 8 - 1]);
    }

    @Test
    void roundTripsEveryDtypeThroughAFile() throws IOException {
        Path f = dir.resolve("f.npy");
        Npy.write(f, new float[] {1.5f, -2f, Float.MAX_VALUE, 0f}, 2, 2);
        assertArrayEquals(new float[] {1.5f, -2f, Float.MAX_VALUE, 0f}, Npy.read(f).toFloatArray());

        Path d = dir.resolve("d.npy");
        Npy.write(d, new double[] {Math.PI, -1e300, 0.0});
        NpyArray da = Npy.read(d);
        assertEquals(NpyDtype.FLOAT64, da.dtype());
        assertArrayEquals(new int[] {3}, da.shape());
        assertArrayEquals(new double[] {Math.PI, -1e300, 0.0}, da.toDoubleArray());

        Path i = dir.resolve("i.npy");
        Npy.write(i, new int[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE}, 3, 1);
        NpyArray ia = Npy.read(i);
        assertArrayEquals(new int[] {3, 1}, ia.shape());
        assertArrayEquals(new int[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE}, ia.toIntArray());

        Path l = dir.resolve("l.npy");
        Npy.write(l, new long[] {Long.MIN_VALUE, 42L, Long.MAX_VALUE});
        assertArrayEquals(new long[] {Long.MIN_VALUE, 42L, Long.MAX_VALUE}, Npy.read(l).toLongArray());
    }

    @Test
    void roundTripsArraysLargerThanOneIoChunk() throws IOException {
        float[] data = new float[100_003];
        for (int k = 0; k < data.length; k++) {
            data[k] = k * 0.25f;
        }
        Path f = dir.resolve("big.npy");
        Npy.write(f, data, 100_003, 1);
        assertArrayEquals(data, Npy.read(f).toFloatArray());
    }

    @Test
    void readsAScalarAndAnEmptyArray() throws IOException {
        NpyArray scalar = Npy.read(new ByteArrayInputStream(numpyFile("<f4", "False", "()", littleEndianFloats(3f))));
        assertEquals(0, scalar.rank());
        assertEquals(1, scalar.size());
        NpyArray empty = Npy.read(new ByteArrayInputStream(numpyFile("<f4", "False", "(0, 384)", new byte[0])));
        assertArrayEquals(new int[] {0, 384}, empty.shape());
        assertEquals(0, empty.toFloatArray().length);
    }

    @Test
    void readsVersion2Headers() throws IOException {
        String header = "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }";
        header = header + " ".repeat(64 - (12 + header.length() + 1) % 64) + "\n";
        ByteBuffer bb = ByteBuffer.allocate(12 + header.length() + 8).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(header.length());
        bb.put(header.getBytes(StandardCharsets.ISO_8859_1)).putInt(5).putInt(-6);
        assertArrayEquals(new int[] {5, -6}, Npy.read(new ByteArrayInputStream(bb.array())).toIntArray());
    }

    @Test
    void convertsBetweenElementTypes() throws IOException {
        Path f = dir.resolve("labels.npy");
        Npy.write(f, new double[] {0.0, 3.0, 7.0});
        NpyArray a = Npy.read(f);
        assertArrayEquals(new int[] {0, 3, 7}, a.toIntArray());
        assertArrayEquals(new long[] {0, 3, 7}, a.toLongArray());
        assertArrayEquals(new float[] {0f, 3f, 7f}, a.toFloatArray());
    }

    @Test
    void refusesToTurnFractionalValuesIntoLabels() throws IOException {
        Path f = dir.resolve("frac.npy");
        Npy.write(f, new float[] {1f, 2.5f});
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Npy.read(f).toIntArray());
        assertTrue(e.getMessage().contains("element 1"), e.getMessage());
    }

    @Test
    void rejectsFortranOrder() {
        byte[] file = numpyFile("<f4", "True", "(2, 3)", littleEndianFloats(0, 1, 2, 3, 4, 5));
        NpyFormatException e = assertThrows(NpyFormatException.class,
                () -> Npy.read(new ByteArrayInputStream(file), "x.npy"));
        assertTrue(e.getMessage().contains("x.npy") && e.getMessage().contains("Fortran"), e.getMessage());
    }

    @Test
    void rejectsUnsupportedDtypesNamingThem() {
        for (String descr : new String[] {"<f2", "|u1", "<i2", "|O", "<c8"}) {
            byte[] file = numpyFile(descr, "False", "(1,)", new byte[16]);
            NpyFormatException e = assertThrows(NpyFormatException.class,
                    () -> Npy.read(new ByteArrayInputStream(file)));
            assertTrue(e.getMessage().contains("'" + descr + "'"), e.getMessage());
        }
    }

    @Test
    void rejectsBigEndianWithAConversionHint() {
        byte[] file = numpyFile(">f4", "False", "(1,)", new byte[4]);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(new ByteArrayInputStream(file)));
        assertTrue(e.getMessage().contains("big-endian"), e.getMessage());
    }

    @Test
    void rejectsTruncatedDataSayingHowMuchIsMissing() throws IOException {
        Path f = dir.resolve("t.npy");
        Npy.write(f, new float[12], 3, 4);
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(bytes, bytes.length - 5));
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("truncated")
                && e.getMessage().contains("48 bytes") && e.getMessage().contains("43 bytes"), e.getMessage());
    }

    @Test
    void rejectsAFileCutInsideTheHeader() throws IOException {
        Path f = dir.resolve("h.npy");
        Npy.write(f, new float[2]);
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(bytes, 20));
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void rejectsFilesThatAreNotNpy() throws IOException {
        Path f = dir.resolve("features.csv");
        Files.writeString(f, "1.0,2.0\n3.0,4.0\n");
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains("not a .npy file"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path f = dir.resolve("absent.npy");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains("absent.npy"), e.getMessage());
    }

    @Test
    void writeRejectsAShapeThatDoesNotMatchTheData() {
        Path f = dir.resolve("bad.npy");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Npy.write(f, new float[5], 2, 3));
        assertTrue(e.getMessage().contains("6 elements") && e.getMessage().contains("5"), e.getMessage());
        assertTrue(Files.notExists(f));
    }
}
