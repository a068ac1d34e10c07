package io.consolechat.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script {@code ./console-chat} and its ahead-of-time cache, run as a user runs it: from a
 * checkout (the script, {@code .mvn/find-java.sh} and the packaged jar, copied to a temporary directory),
 * on a real JDK. Runs after {@code package}, which builds the jar.
 */
class LauncherIT {
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();
    private static final Path JAR = REPO.resolve("app/target/console-chat.jar");
    private static final Duration TRAINING = Duration.ofMinutes(4);

    @TempDir
    Path dir;

    private Path checkout;
    private Path target;

    private record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void copyTheCheckout() throws IOException {
        checkout = dir.resolve("checkout");
        target = checkout.resolve("app/target");
        Files.createDirectories(target);
        Files.createDirectories(checkout.resolve(".mvn"));
        Files.copy(REPO.resolve("console-chat"), checkout.resolve("console-chat"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(REPO.resolve(".mvn/find-java.sh"), checkout.resolve(".mvn/find-java.sh"));
        Files.copy(JAR, target.resolve("console-chat.jar"));
    }

    @Test
    void onJdk25TheFirstCommandTrainsACacheInTheBackgroundAndLaterCommandsUseIt() throws Exception {
        var jdk = thisJdk();
        assumeTrue(Runtime.version().feature() >= 25, "needs a JDK 25 or newer to run the tests");

        var first = run(Map.of("JAVA_HOME", jdk.toString()), "--version");
        assertThat(first).isEqualTo(new Run(0, versionLine(), ""));
        await().atMost(TRAINING).until(() -> caches().size() == 1);
        assertThat(Files.readString(log(caches().getFirst()))).contains("AOTCache creation is complete");

        var classes = dir.resolve("classes.log");
        var second = run(Map.of("JAVA_HOME", jdk.toString(),
                "CONSOLE_CHAT_JAVA_OPTS", "-Xlog:class+load:file=" + classes), "--version");
        assertThat(second).isEqualTo(new Run(0, versionLine(), ""));
        assertThat(Files.readString(classes)).contains("io.consolechat.app.Main source: shared objects file");

        // A rebuilt jar makes the cache stale: it is not used, and a new one is trained.
        var cache = caches().getFirst();
        var before = Files.getLastModifiedTime(cache);
        Files.setLastModifiedTime(target.resolve("console-chat.jar"),
                FileTime.fromMillis(before.toMillis() + 2_000));
        Files.delete(classes);
        var third = run(Map.of("JAVA_HOME", jdk.toString(),
                "CONSOLE_CHAT_JAVA_OPTS", "-Xlog:class+load:file=" + classes), "--version");
        assertThat(third).isEqualTo(new Run(0, versionLine(), ""));
        assertThat(Files.readString(classes)).contains("io.consolechat.app.Main source: file:");
        await().atMost(TRAINING).until(() -> Files.getLastModifiedTime(cache).compareTo(
                Files.getLastModifiedTime(target.resolve("console-chat.jar"))) > 0);
    }

    @Test
    void aJdkWithoutTheCacheGetsNoneOfItsOptions() throws Exception {
        // A JDK that reports version 21 and, as JDK 21 does, refuses the cache's options.
        var jdk = fakeJdk("21.0.5+11-LTS", "-XX:AOT*");
        var env = Map.of("JAVA_HOME", jdk.toString());

        assertThat(run(env, "--version")).isEqualTo(new Run(0, versionLine(), ""));
        var bad = run(env, "send", "not a room");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).startsWith("console-chat send: not a room name");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> aotFiles().isEmpty() && !Files.readString(jdk.resolve("calls.log")).contains("AOT"));
    }

    @Test
    void aTrainingThatFailsLeavesTheCommandsWorkingAndIsNotRetriedForTheSameJar() throws Exception {
        assumeTrue(Runtime.version().feature() >= 25, "needs a JDK 25 or newer to run the tests");
        // This JDK, on which creating the cache fails.
        var jdk = fakeJdk(Runtime.version().toString(), "-XX:AOTCacheOutput=*");
        var env = Map.of("JAVA_HOME", jdk.toString());

        assertThat(run(env, "--version")).isEqualTo(new Run(0, versionLine(), ""));
        await().atMost(TRAINING).until(() -> logs().size() == 1
                && Files.readString(logs().getFirst()).contains("no start-up cache made"));
        var attempt = Files.getLastModifiedTime(logs().getFirst());

        assertThat(run(env, "--version")).isEqualTo(new Run(0, versionLine(), ""));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> caches().isEmpty() && Files.getLastModifiedTime(logs().getFirst()).equals(attempt));
        assertThat(Files.readString(jdk.resolve("calls.log")).lines().filter(l -> l.contains("AOTCacheOutput")))
                .hasSize(1);
    }

    @Test
    void anUnwritableCheckoutRunsWithoutACache() throws Exception {
        assumeTrue(Runtime.version().feature() >= 25, "needs a JDK 25 or newer to run the tests");
        assumeTrue(!"root".equals(System.getProperty("user.name")), "root may write anywhere");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            var env = Map.of("JAVA_HOME", thisJdk().toString());
            assertThat(run(env, "--version")).isEqualTo(new Run(0, versionLine(), ""));
            assertThat(run(env, "--version")).isEqualTo(new Run(0, versionLine(), ""));
            assertThat(aotFiles()).isEmpty();
        } finally {
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void theServerRunsWithTheHeapThatConsoleChatHeapSetsAnd512MiBWithoutItAndTheSerialCollectorUpTo512MiB() throws Exception {
        // A JDK that cannot make a cache, so that the calls it logs are the commands' alone.
        var jdk = fakeJdk("21.0.5+11-LTS", "-XX:AOT*");
        var calls = jdk.resolve("calls.log");

        assertThat(run(Map.of("JAVA_HOME", jdk.toString()), "server", "--help").exitCode()).isZero();
        assertThat(Files.readString(calls)).startsWith("-Xmx512m -Xms32m -XX:+UseSerialGC ")
                .contains("server --help");

        // A larger heap keeps the JVM's own collector.
        Files.writeString(calls, "");
        assertThat(run(Map.of("JAVA_HOME", jdk.toString(), "CONSOLE_CHAT_HEAP", "2g"), "server", "--help")
                .exitCode()).isZero();
        assertThat(Files.readString(calls)).startsWith("-Xmx2g -Xms32m ").doesNotContain("GC");

        // So does a collector the operator names.
        Files.writeString(calls, "");
        assertThat(run(Map.of("JAVA_HOME", jdk.toString(), "CONSOLE_CHAT_JAVA_OPTS", "-XX:+UseG1GC"), "server",
                "--help").exitCode()).isZero();
        assertThat(Files.readString(calls)).startsWith("-Xmx512m -Xms32m -XX:+UseG1GC ")
                .doesNotContain("UseSerialGC");

        Files.writeString(calls, "");
        var bad = run(Map.of("JAVA_HOME", jdk.toString(), "CONSOLE_CHAT_HEAP", "lots"), "server", "--help");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("CONSOLE_CHAT_HEAP must be a size such as 512m or 2g, not 'lots'");
        assertThat(Files.readString(calls)).isEmpty();

        // Client commands keep the JVM's own default, which is sized to the machine.
        assertThat(run(Map.of("JAVA_HOME", jdk.toString()), "--version")).isEqualTo(new Run(0, versionLine(), ""));
        assertThat(Files.readString(calls)).doesNotContain("-Xmx");
    }

    private static Path thisJdk() {
        return Path.of(System.getProperty("java.home"));
    }

    private static String versionLine() {
        return "console-chat development" + System.lineSeparator();
    }

    /**
     * A JDK home whose {@code release} file gives {@code version} and whose java refuses options matching
     * {@code refused} (a shell pattern) as an unknown option, logs every call, and otherwise runs this JDK.
     */
    private Path fakeJdk(String version, String refused) throws IOException {
        var home = dir.resolve("jdk-" + version);
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version.replaceAll("[+-].*", "")
                + "\"\nJAVA_RUNTIME_VERSION=\"" + version + "\"\n");
        Files.createSymbolicLink(home.resolve("bin/javac"), thisJdk().resolve("bin/javac"));
        var java = home.resolve("bin/java");
        Files.writeString(java, """
                #!/usr/bin/env bash
                echo "$*" >> '%s'
                for a; do
                    case $a in
                        %s) echo "Unrecognized VM option '${a#-XX:}'" >&2; exit 1 ;;
                    esac
                done
                exec '%s' "$@"
                """.formatted(home.resolve("calls.log"), refused, thisJdk().resolve("bin/java")));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.resolve("calls.log"), "");
        return home;
    }

    private Run run(Map<String, String> env, String... args) throws Exception {
        var command = new ArrayList<String>();
        command.add(checkout.resolve("console-chat").toString());
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).directory(dir.toFile());
        var environment = new HashMap<>(env);
        environment.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        environment.put("CONSOLE_CHAT_SERVER", "http://127.0.0.1:9");
        builder.environment().keySet().removeIf(name -> name.startsWith("CONSOLE_CHAT_") || name.equals("JAVA_HOME"));
        builder.environment().putAll(environment);
        var out = dir.resolve("out.txt");
        var err = dir.resolve("err.txt");
        var process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        process.getOutputStream().close();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("the launcher finished").isTrue();
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private List<Path> caches() throws IOException {
        return aotFiles().stream().filter(p -> p.getFileName().toString().endsWith(".aot")).toList();
    }

    private List<Path> logs() throws IOException {
        return aotFiles().stream().filter(p -> p.getFileName().toString().endsWith(".aot.log")).toList();
    }

    private static Path log(Path cache) {
        return cache.resolveSibling(cache.getFileName() + ".log");
    }

    private List<Path> aotFiles() throws IOException {
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().contains(".aot")).sorted().toList();
        }
    }
}
