package org.sp2ot.jobs.extract;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The test backbone in the two user formats, written by hand because no exporter exists in a Java build:
 * {@code features = mean over pixels(images) . W + b}, i.e. the per-channel means of the (N, 3, S, S) input times
 * W (3 x D) plus b.
 * <ul>
 *   <li>ONNX ({@link #writeOnnx}): GlobalAveragePool, Flatten, Gemm, protobuf-encoded field by field from
 *       onnx.proto (ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto); opset 13, IR version 8.</li>
 *   <li>TorchScript ({@link #writeTorchScript}): the zip archive torch.jit.save produces, reduced to what
 *       libtorch's loader reads: {@code code/__torch__.py} (the module class in TorchScript, W and b as literal
 *       tensors), {@code data.pkl} (the pickled module object: its class and its {@code training} flag),
 *       {@code constants.pkl} (an empty tuple) and {@code version}.</li>
 * </ul>
 */
final class PooledLinearModel {
    private PooledLinearModel() {
    }

    /** What the model computes for one image's CHW input, in float arithmetic like the reference. */
    static float[] forward(float[] chw, int side, float[] w, float[] b) {
        int dim = b.length;
        int plane = side * side;
        double[] means = new double[3];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                means[c] += chw[c * plane + i];
            }
            means[c] /= plane;
        }
        float[] out = new float[dim];
        for (int j = 0; j < dim; j++) {
            double sum = b[j];
            for (int c = 0; c < 3; c++) {
                sum += means[c] * w[c * dim + j];
            }
            out[j] = (float) sum;
        }
        return out;
    }

    static Path writeOnnx(Path file, float[] w, float[] b) throws IOException {
        int dim = b.length;
        byte[] graph = concat(
                field(1, node("GlobalAveragePool", "images", "pooled", new byte[0])),
                field(1, node("Flatten", "pooled", "flat", field(5, concat(string(1, "axis"), varint(3, 1),
                        varint(20, 2))))),
                field(1, concat(string(1, "flat"), string(1, "W"), string(1, "b"), string(2, "features"),
                        string(3, "gemm"), string(4, "Gemm"))),
                string(2, "tiny"),
                field(5, tensor("W", w, 3, dim)),
                field(5, tensor("b", b, dim)),
                field(11, valueInfo("images", "N", 3, -1, -1)),
                field(12, valueInfo("features", "N", dim)));
        byte[] model = concat(varint(1, 8), string(2, "sp2ot-test"), field(7, graph),
                field(8, concat(string(1, ""), varint(2, 13))));
        return Files.write(file, model);
    }

    static Path writeTorchScript(Path file, float[] w, float[] b) throws IOException {
        int dim = b.length;
        StringBuilder weights = new StringBuilder("[");
        for (int c = 0; c < 3; c++) {
            weights.append(c == 0 ? "[" : ", [");
            for (int j = 0; j < dim; j++) {
                weights.append(j == 0 ? "" : ", ").append(w[c * dim + j]);
            }
            weights.append(']');
        }
        weights.append(']');
        StringBuilder bias = new StringBuilder("[");
        for (int j = 0; j < dim; j++) {
            bias.append(j == 0 ? "" : ", ").append(b[j]);
        }
        bias.append(']');
        String code = String.join("\n",
                "class PooledLinear(Module):",
                "  __parameters__ = []",
                "  __buffers__ = []",
                "  training : bool",
                "  def forward(self: __torch__.PooledLinear,",
                "    images: Tensor) -> Tensor:",
                "    pooled = torch.mean(images, [2, 3])",
                "    w = torch.tensor(" + weights + ")",
                "    b = torch.tensor(" + bias + ")",
                "    return torch.add(torch.matmul(pooled, w), b)",
                "");
        ByteArrayOutputStream pickle = new ByteArrayOutputStream();
        pickle.writeBytes(new byte[] {(byte) 0x80, 2});
        pickle.writeBytes("c__torch__\nPooledLinear\n".getBytes(StandardCharsets.US_ASCII));
        pickle.writeBytes(new byte[] {')', (byte) 0x81, '}', '(', 'X', 8, 0, 0, 0});
        pickle.writeBytes("training".getBytes(StandardCharsets.US_ASCII));
        pickle.writeBytes(new byte[] {(byte) 0x88, 'u', 'b', '.'});
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            storeEntry(zip, "data.pkl", pickle.toByteArray());
            storeEntry(zip, "code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
            storeEntry(zip, "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            storeEntry(zip, "version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }

    /** An uncompressed entry under the archive's top-level directory, as torch.jit.save writes them. */
    private static void storeEntry(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry("archive/" + name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }

    private static byte[] node(String op, String input, String output, byte[] attribute) {
        return concat(string(1, input), string(2, output), string(3, op.toLowerCase()), string(4, op), attribute);
    }

    private static byte[] tensor(String name, float[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long d : dims) {
            out.writeBytes(varint(1, d));
        }
        out.writeBytes(varint(2, 1));
        out.writeBytes(string(8, name));
        out.writeBytes(field(9, raw.array()));
        return out.toByteArray();
    }

    /** A float tensor value; a negative dimension is written as a free dimension named after the first one. */
    private static byte[] valueInfo(String name, String batchDim, long... dims) {
        ByteArrayOutputStream shape = new ByteArrayOutputStream();
        shape.writeBytes(field(1, string(2, batchDim)));
        for (int i = 0; i < dims.length; i++) {
            shape.writeBytes(field(1, dims[i] < 0 ? string(2, "S" + i) : varint(1, dims[i])));
        }
        byte[] tensorType = concat(varint(1, 1), field(2, shape.toByteArray()));
        return concat(string(1, name), field(2, field(1, tensorType)));
    }

    private static byte[] varint(int field, long value) {
        return concat(rawVarint((long) field << 3), rawVarint(value));
    }

    private static byte[] string(int field, String value) {
        return field(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A length-delimited field (wire type 2). */
    private static byte[] field(int field, byte[] payload) {
        return concat(rawVarint((long) field << 3 | 2), rawVarint(payload.length), payload);
    }

    private static byte[] rawVarint(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long v = value;
        while ((v & ~0x7fL) != 0) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
