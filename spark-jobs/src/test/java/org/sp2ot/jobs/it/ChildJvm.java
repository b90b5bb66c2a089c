package org.sp2ot.jobs.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts JVMs as child processes for the integration tests (a Spark Master, Workers, SparkSubmit, a pipeline run to
 * be killed), with Spark's Java 17 module openings and the test log configuration; output goes to a log file that
 * {@link #tail} shows when an assertion fails.
 */
public final class ChildJvm implements AutoCloseable {

    /** The Java 17 options Spark needs (the same list as the build's argLine, DESIGN.md). */
    public static final List<String> SPARK_JAVA17_OPTIONS = List.of(
            "-XX:+IgnoreUnrecognizedVMOptions",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
            "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
            "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "-Djdk.reflect.useDirectMethodHandle=false",
            "-Dio.netty.tryReflectionSetAccessible=true",
            // not a Spark option: the solver's Vector API pass (solver.jvm.modules in the parent pom)
            "--add-modules=jdk.incubator.vector");

    private final Process process;
    private final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** The test JVM's full class path (surefire/failsafe pass it in a property when they use a manifest jar). */
    public static List<String> testClassPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> entries = new ArrayList<>();
        for (String entry : cp.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.add(entry);
            }
        }
        return entries;
    }

    /**
     * The part of the test class path a Spark installation provides: everything except this project's classes and
     * what the shaded application jar carries itself, so that a job running on it proves the shaded jar complete.
     */
    public static List<String> sparkProvidedClassPath() {
        List<String> provided = new ArrayList<>();
        for (String entry : testClassPath()) {
            String e = entry.replace('\\', '/');
            String file = e.substring(e.lastIndexOf('/') + 1);
            boolean ours = file.startsWith("sp2ot-") || e.contains("/target/classes") || e.contains("/target/test-classes")
                    || e.contains("/org/sp2ot/") || e.contains("/ai/djl/") || e.contains("/com/microsoft/onnxruntime/")
                    || e.contains("/com/aparapi/") || e.contains("/org/apache/bcel/") || e.contains("/net/java/dev/jna/")
                    || e.contains("/com/typesafe/config/") || e.contains("/org/junit/") || e.contains("/org/opentest4j/")
                    || e.contains("/org/apiguardian/") || e.contains("hadoop-client-minicluster")
                    || e.contains("surefire") || e.contains("failsafe");
            if (!ours) {
                provided.add(entry);
            }
        }
        return provided;
    }

    /** The project root (the parent of the spark-jobs module, where the ITs run). */
    public static Path projectRoot() {
        return Path.of("").toAbsolutePath().getParent();
    }

    /**
     * Starts {@code java <jvmOptions> -cp classPath mainClass args} with {@code env} added to this environment,
     * output to {@code log}.
     */
    public static ChildJvm start(List<String> classPath, List<String> jvmOptions, String mainClass, List<String> args,
                                 Map<String, String> env, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(SPARK_JAVA17_OPTIONS);
        command.add("-Dlog4j2.configurationFile=" + projectRoot().resolve("conf/log4j2-test.properties"));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath));
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        builder.environment().putAll(env);
        Files.createDirectories(log.getParent());
        return new ChildJvm(builder.start(), log);
    }

    public Process process() {
        return process;
    }

    /** Waits for the exit; on timeout the process is killed and -1 returned. */
    public int waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        if (!process.waitFor(timeout, unit)) {
            close();
            return -1;
        }
        return process.exitValue();
    }

    /** The last {@code lines} lines of the process's output. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    public Path log() {
        return log;
    }

    /** Kills the process and its children (executors of a Worker) at once. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "ChildJvm(pid=" + process.pid() + ", log=" + log + ")";
    }
}
