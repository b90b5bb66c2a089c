package org.sp2ot.solver;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs {@link #CHUNKS} row chunks on a small fixed pool (the caller takes its share). Chunk c always covers the same
 * rows whatever the thread count, so reductions done in chunk order are bit-identical for any number of threads.
 */
final class ChunkRunner implements AutoCloseable {
    /** Fixed number of row chunks. */
    static final int CHUNKS = 16;

    /** A task over one chunk. */
    interface Task {
        void run(int chunk);
    }

    private final int threads;
    private final ExecutorService pool;

    /** The process-wide runner of code that owns no solver (the SP2OT MM loop's row passes). */
    private static final class Shared {
        static final ChunkRunner RUNNER = new ChunkRunner(FastScaling.defaultThreads());
    }

    /** A runner on {@link FastScaling#defaultThreads()} daemon threads, created on first use and never closed. */
    static ChunkRunner shared() {
        return Shared.RUNNER;
    }

    ChunkRunner(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, runnable -> {
            Thread thread = new Thread(runnable, "sp2ot-scaling");
            thread.setDaemon(true);
            return thread;
        });
    }

    int threads() {
        return threads;
    }

    /** First row of chunk c among n rows. */
    static int chunkStart(int n, int chunk) {
        return (int) ((long) n * chunk / CHUNKS);
    }

    void run(Task task) {
        if (pool == null) {
            for (int chunk = 0; chunk < CHUNKS; chunk++) {
                task.run(chunk);
            }
            return;
        }
        List<Future<?>> futures = new ArrayList<>(threads - 1);
        for (int worker = 1; worker < threads; worker++) {
            final int first = worker;
            futures.add(pool.submit(() -> {
                for (int chunk = first; chunk < CHUNKS; chunk += threads) {
                    task.run(chunk);
                }
            }));
        }
        for (int chunk = 0; chunk < CHUNKS; chunk += threads) {
            task.run(chunk);
        }
        try {
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scaling", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a scaling worker failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
