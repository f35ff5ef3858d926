package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.LatheClientException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A server that refuses a run before its session began (issue 70): a refused connection sent nothing, and the run says
 * so; a call cut off after it was sent does not claim it. The daemon's case is a race (it died between discovery and
 * the first call), so it is shown here with a real refusal from a closed loopback port; the others run in
 * {@code DaemonLifecycleIT}.
 */
class LostServerTest {
    @Test
    void aRefusalBeforeTheSessionSaysNothingWasSentAndNamesTheServer() throws IOException {
        ConnectException refused = refusal();
        var e = new LatheClientException("cannot reach the Lathe server at http://127.0.0.1:1: " + refused.getMessage(), refused);
        assertThat(LostServer.beforeSession(e, Optional.empty())).isEqualTo("lathe: the background server stopped before this run began ("
                + refused.getMessage() + "); nothing was sent: run the command again to start it anew");
        URI url = URI.create("http://127.0.0.1:4096");
        assertThat(LostServer.beforeSession(e, Optional.of(url)))
                .isEqualTo("lathe: cannot reach the Lathe server at http://127.0.0.1:4096 (" + refused.getMessage() + "); nothing was sent");
    }

    @Test
    void aCallCutOffAfterItWasSentDoesNotClaimNothingWasSent() {
        var e = new LatheClientException("cannot reach …: Connection reset", new SocketException("Connection reset"));
        assertThat(LostServer.beforeSession(e, Optional.empty())).isEqualTo("lathe: the background server stopped before this run began"
                + " (Connection reset); the run stopped before its session began: run the command again to start it anew");
    }

    /** The JDK's own refusal: a loopback port nothing listens on any more. */
    private static ConnectException refusal() throws IOException {
        int port;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        try (var _ = new Socket(InetAddress.getLoopbackAddress(), port)) {
            throw new AssertionError("port " + port + " answered");
        } catch (ConnectException e) {
            return e;
        }
    }
}
