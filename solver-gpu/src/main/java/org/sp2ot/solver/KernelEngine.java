package org.sp2ot.solver;

/**
 * Where the fused pass of {@link FastScaling} runs: the float32 stabilised kernel is loaded once per (re)build and
 * stays resident; each pass moves only the column scaling b in and the column sums out (K-vectors). The row scalings
 * a stay with the engine until {@link #rowScalings(double[])} fetches them (absorption, final plan).
 */
public interface KernelEngine extends AutoCloseable {

    /**
     * Makes the kernel (row-major n*kx, float32 values held as doubles: see {@link FastScaling}) and the row caps
     * resident. The arrays are not modified by the engine and must not be modified by the caller until the next load.
     */
    void load(double[] kernel, int n, int kx, double[] caps);

    /**
     * One fused pass (ALGORITHM.md §1): {@code a_i = (rowMass / (t (M b)_i))}, capped at {@code caps[i]} when
     * {@code capped}, then {@code columns = M^T a}, and the smallest and largest a into {@code rowRange[0..1]} (for
     * the absorption rule, without moving a).
     */
    void fusedPass(double[] b, double t, double rowMass, boolean capped, double[] columns, double[] rowRange);

    /** Copies the row scalings a of the last pass into {@code out} (n entries). */
    void rowScalings(double[] out);

    /** Where the pass runs, e.g. {@code "cpu(2 threads)"} or {@code "aparapi:OpenCL CPU pthread-..."}. */
    String device();

    @Override
    void close();
}
