package org.sp2ot.jobs.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Spark standalone cluster on loopback: one Master and {@code workers} Worker JVMs, each a separate process
 * started from the Spark jars of the test class path. Spark's Worker launches executors through a Spark home: a
 * temporary one is made with a {@code RELEASE} file and {@code jars/} holding links to those jars, which is the
 * layout of a Spark distribution. {@link #close()} kills everything, executors included.
 */
public final class StandaloneCluster implements AutoCloseable {
    private static final Pattern ALIVE_WORKERS = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");

    private final Path dir;
    private final Path sparkHome;
    private final int port;
    private final int webUiPort;
    private final List<ChildJvm> processes = new ArrayList<>();

    private StandaloneCluster(Path dir, Path sparkHome, int port, int webUiPort) {
        this.dir = dir;
        this.sparkHome = sparkHome;
        this.port = port;
        this.webUiPort = webUiPort;
    }

    /** Starts a Master and {@code workers} Workers of {@code coresEach} cores and {@code memory}, and waits for them. */
    public static StandaloneCluster start(Path dir, int workers, int coresEach, String memory, Duration timeout)
            throws IOException, InterruptedException {
        Path sparkHome = makeSparkHome(dir.resolve("spark-home"));
        StandaloneCluster cluster = new StandaloneCluster(dir, sparkHome, freePort(), freePort());
        try {
            cluster.processes.add(ChildJvm.start(ChildJvm.sparkProvidedClassPath(), List.of("-Xmx512m"),
                    "org.apache.spark.deploy.master.Master",
                    List.of("--host", "127.0.0.1", "--port", String.valueOf(cluster.port),
                            "--webui-port", String.valueOf(cluster.webUiPort)),
                    cluster.sparkEnv(), dir.resolve("logs/master.log")));
            for (int w = 0; w < workers; w++) {
                Path work = Files.createDirectories(dir.resolve("work-" + w));
                cluster.processes.add(ChildJvm.start(ChildJvm.sparkProvidedClassPath(), List.of("-Xmx512m"),
                        "org.apache.spark.deploy.worker.Worker",
                        List.of("--host", "127.0.0.1", "--cores", String.valueOf(coresEach), "--memory", memory,
                                "--work-dir", work.toString(), "--webui-port", String.valueOf(freePort()),
                                cluster.masterUrl()),
                        cluster.sparkEnv(), dir.resolve("logs/worker-" + w + ".log")));
            }
            cluster.awaitWorkers(workers, timeout);
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    private static Path makeSparkHome(Path home) throws IOException {
        Path jars = Files.createDirectories(home.resolve("jars"));
        Files.writeString(home.resolve("RELEASE"), "Spark from the sp2ot test class path\n");
        for (String entry : ChildJvm.sparkProvidedClassPath()) {
            Path source = Path.of(entry);
            if (Files.isRegularFile(source) && entry.endsWith(".jar")) {
                Path link = jars.resolve(source.getFileName());
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, source);
                }
            }
        }
        return home;
    }

    private Map<String, String> sparkEnv() {
        return Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_SCALA_VERSION", "2.13",
                "SPARK_LOCAL_IP", "127.0.0.1");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void awaitWorkers(int expected, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webUiPort + "/json/"))
                        .timeout(Duration.ofSeconds(5)).build();
                last = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
                Matcher m = ALIVE_WORKERS.matcher(last);
                if (m.find() && Integer.parseInt(m.group(1)) >= expected) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            for (ChildJvm p : processes) {
                if (!p.process().isAlive()) {
                    throw new AssertionError("a cluster process exited early:\n" + p.tail(40));
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the master did not see " + expected + " workers within " + timeout + "; last: "
                + last + "\nmaster log:\n" + processes.get(0).tail(40));
    }

    /** {@code spark://127.0.0.1:<port>}. */
    public String masterUrl() {
        return "spark://127.0.0.1:" + port;
    }

    public Path sparkHome() {
        return sparkHome;
    }

    /** The executor directories the Workers created ({@code work-<w>/<app-id>/<executor-id>}). */
    public List<Path> executorDirectories() throws IOException {
        List<Path> result = new ArrayList<>();
        for (int w = 0; Files.isDirectory(dir.resolve("work-" + w)); w++) {
            try (var apps = Files.list(dir.resolve("work-" + w))) {
                for (Path app : apps.toList()) {
                    try (var executors = Files.list(app)) {
                        result.addAll(executors.filter(Files::isDirectory).toList());
                    }
                }
            }
        }
        return result;
    }

    /** The text of an executor's stderr (Spark's executor log). */
    public static String executorLog(Path executorDir) throws IOException {
        try (InputStream in = Files.newInputStream(executorDir.resolve("stderr"))) {
            return new String(in.readAllBytes());
        }
    }

    /** Every cluster process's last lines, for a failure message. */
    public String logs() {
        StringBuilder text = new StringBuilder();
        for (ChildJvm p : processes) {
            text.append("==> ").append(p.log()).append('\n').append(p.tail(30)).append('\n');
        }
        return text.toString();
    }

    /** Kills the Workers (with their executors) and the Master. */
    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
    }
}
