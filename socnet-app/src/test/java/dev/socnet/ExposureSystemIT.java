package dev.socnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * One door: every TCP socket that a process of the running local cluster listens on is bound to a
 * loopback address (127.0.0.0/8 or ::1), except HAProxy's public port {@code SOCNET_APP_PORT}, which
 * binds {@code SOCNET_PUBLIC_ADDRESS} (socnet.env). A system test of whatever {@code ./socnet up} or
 * {@code ./socnet test} runs now: PostgreSQL nodes and monitor, Redis, RabbitMQ with its Erlang
 * distribution port and epmd, the Citus nodes, the dialogs service, the app instances with their
 * management ports, HAProxy.
 *
 * <p>How a socket is attributed: the listening sockets of {@code /proc/net/tcp} and {@code tcp6} (state
 * 0A), mapped to processes through {@code /proc/<pid>/fd} (socket inodes). A process is the project's
 * when its pid is in a pid file under {@code .local} (or it descends from one), when its command line
 * names the {@code .local} directory, or when it is epmd (started by the RabbitMQ node); any socket on
 * a port that socnet.env names is checked whoever owns it. Every offender is listed in the failure.
 */
class ExposureSystemIT {

    private static final Path LOCAL = LocalCluster.ROOT.resolve(".local");
    private static final Pattern SOCKET = Pattern.compile("socket:\\[(\\d+)]");

    /** A listening socket and who owns it. */
    record Listener(String address, int port, long inode, Optional<Long> pid, String process) {

        @Override
        public String toString() {
            return (address.contains(":") ? "[" + address + "]" : address) + ":" + port + " ("
                    + pid.map(p -> "pid " + p + " " + process).orElse("owner unknown") + ")";
        }
    }

    @Test
    void everyListeningSocketOfTheClusterIsOnLoopbackButHaproxysPublicPort() throws IOException {
        int publicPort = Integer.parseInt(System.getenv().getOrDefault("SOCNET_APP_PORT", "8080"));
        Set<Integer> configuredPorts = configuredPorts();
        Set<Long> project = projectProcesses();

        Map<Long, Long> owners = socketOwners();
        List<Listener> checked = new ArrayList<>();
        for (Listener l : listeners(owners)) {
            boolean ours = l.pid().map(project::contains).orElse(false) || configuredPorts.contains(l.port());
            if (ours) {
                checked.add(l);
            }
        }
        checked.forEach(l -> System.out.println("[exposure] " + l));

        assertThat(checked).as("listening sockets of the cluster found (is it running?)")
                .anyMatch(l -> l.port() == Integer.parseInt(System.getenv().getOrDefault("SOCNET_PG_PORT", "15432")));
        List<String> offenders = checked.stream()
                .filter(l -> !isLoopback(l.address()))
                .filter(l -> l.port() != publicPort)
                .map(Listener::toString)
                .toList();
        assertThat(offenders)
                .as("sockets of the cluster bound to a non-loopback address (only HAProxy's :%d may be)", publicPort)
                .isEmpty();
    }

    /** Every port socnet.env names (SOCNET_*PORT*, one or a list), from the environment ./socnet test exports. */
    private static Set<Integer> configuredPorts() {
        Set<Integer> ports = new TreeSet<>();
        System.getenv().forEach((name, value) -> {
            if (name.startsWith("SOCNET_") && name.contains("PORT")) {
                for (String p : value.trim().split("\\s+")) {
                    if (p.matches("\\d{1,5}")) {
                        ports.add(Integer.parseInt(p));
                    }
                }
            }
        });
        return ports;
    }

    /** Pids of pid files under .local and their descendants, processes naming .local, and epmd. */
    private static Set<Long> projectProcesses() throws IOException {
        Set<Long> roots = new HashSet<>();
        if (Files.isDirectory(LOCAL)) {
            try (Stream<Path> files = Files.walk(LOCAL.toRealPath(), 4)) {
                for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".pid")).toList()) {
                    firstNumber(f).ifPresent(roots::add);
                }
            }
        }
        String local = Files.isDirectory(LOCAL) ? LOCAL.toRealPath().toString() : LOCAL.toString();
        Set<Long> project = new HashSet<>();
        ProcessHandle.allProcesses().forEach(p -> {
            boolean ours = roots.contains(p.pid())
                    || p.parent().map(parent -> roots.contains(parent.pid())).orElse(false)
                    || p.info().command().map(c -> c.endsWith("/epmd")).orElse(false)
                    || cmdline(p.pid()).contains(local);
            if (ours) {
                project.add(p.pid());
                p.descendants().forEach(d -> project.add(d.pid()));
            }
        });
        return project;
    }

    private static Optional<Long> firstNumber(Path pidFile) {
        try {
            String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").strip();
            return first.matches("\\d+") ? Optional.of(Long.parseLong(first)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** Socket inode → pid, from every process's open file descriptors. */
    private static Map<Long, Long> socketOwners() {
        Map<Long, Long> owners = new HashMap<>();
        ProcessHandle.allProcesses().forEach(p -> {
            Path fds = Path.of("/proc", Long.toString(p.pid()), "fd");
            try (Stream<Path> entries = Files.list(fds)) {
                entries.forEach(fd -> {
                    try {
                        Matcher m = SOCKET.matcher(Files.readSymbolicLink(fd).toString());
                        if (m.matches()) {
                            owners.putIfAbsent(Long.parseLong(m.group(1)), p.pid());
                        }
                    } catch (IOException e) {
                        // the descriptor closed meanwhile
                    }
                });
            } catch (IOException e) {
                // the process ended meanwhile
            }
        });
        return owners;
    }

    /** The listening TCP sockets of /proc/net/tcp and tcp6. */
    private static List<Listener> listeners(Map<Long, Long> owners) throws IOException {
        List<Listener> result = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.exists(path)) {
                continue;
            }
            for (String line : Files.readAllLines(path).stream().skip(1).toList()) {
                String[] f = line.trim().split("\\s+");
                if (!"0A".equals(f[3])) { // TCP_LISTEN
                    continue;
                }
                String[] local = f[1].split(":");
                long inode = Long.parseLong(f[9]);
                Optional<Long> pid = Optional.ofNullable(owners.get(inode));
                result.add(new Listener(address(local[0]), Integer.parseInt(local[1], 16), inode, pid,
                        pid.map(ExposureSystemIT::name).orElse("?")));
            }
        }
        return result;
    }

    /** /proc/net's hex address: 32-bit words in host (little-endian) byte order. */
    private static String address(String hex) {
        byte[] raw = HexFormat.of().parseHex(hex);
        for (int i = 0; i < raw.length; i += 4) {
            for (int j = 0; j < 2; j++) {
                byte b = raw[i + j];
                raw[i + j] = raw[i + 3 - j];
                raw[i + 3 - j] = b;
            }
        }
        try {
            return InetAddress.getByAddress(raw).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(hex, e);
        }
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String name(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
        } catch (IOException e) {
            return "?";
        }
    }
}
