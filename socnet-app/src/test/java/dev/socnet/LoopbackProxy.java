package dev.socnet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 in front of a real server, for outage tests: {@link #cut()} closes the
 * listening socket and every relayed connection, which is what a client sees when the server
 * crashes or the network drops. Byte copying only; no protocol knowledge.
 */
public final class LoopbackProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    /** Starts relaying from a free loopback port to {@code 127.0.0.1:targetPort}. */
    public LoopbackProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    /**
     * A relay in front of the port that the environment variable {@code portVariable} names (as
     * {@code ./socnet test} exports it), or {@code defaultPort} when it is not set.
     *
     * @throws UncheckedIOException when no loopback port can be opened
     */
    public static LoopbackProxy toPortOf(String portVariable, int defaultPort) {
        try {
            return new LoopbackProxy(Integer.parseInt(System.getenv().getOrDefault(portVariable, Integer.toString(defaultPort))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // cut or closed
            }
            Socket upstream;
            try {
                upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            } catch (IOException e) {
                closeQuietly(client); // the server is down: the client sees its connection closed, the relay goes on
                continue;
            }
            // registered under the lock cut() takes: a connection accepted while cut() runs is closed, not
            // left relaying past the cut
            synchronized (sockets) {
                if (server.isClosed()) {
                    closeQuietly(client);
                    closeQuietly(upstream);
                    return;
                }
                sockets.add(client);
                sockets.add(upstream);
            }
            Thread.ofVirtual().start(() -> pump(client, upstream));
            Thread.ofVirtual().start(() -> pump(upstream, client));
        }
    }

    private static void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the other side closed or the proxy was cut
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Drops every relayed connection and goes on accepting new ones: a network blip. */
    public void dropConnections() {
        synchronized (sockets) {
            sockets.forEach(LoopbackProxy::closeQuietly);
            sockets.clear();
        }
    }

    /** Drops every relayed connection and refuses new ones. */
    public void cut() {
        synchronized (sockets) {
            closeQuietly(server);
            sockets.forEach(LoopbackProxy::closeQuietly);
        }
    }

    @Override
    public void close() {
        cut();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
