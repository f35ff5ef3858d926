package dev.lathe.llm.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class LocalServerTest {
    @Test
    void aRefusedOllamaPortAsksWhetherOllamaRuns() {
        var u = LocalServer.unreachable(URI.create("http://127.0.0.1:11434/v1/chat/completions"), new ConnectException());
        assertThat(u.message()).isEqualTo("connection refused to http://127.0.0.1:11434/v1/chat/completions: is Ollama running? (start it with `ollama serve`)");
        assertThat(u.refusedLocalServer()).isPresent();
    }

    @Test
    void aRemoteServerIsNamedButLeftToTheRetries() {
        var refused = LocalServer.unreachable(URI.create("https://api.example.com/v1/messages"), new ConnectException());
        assertThat(refused.message()).isEqualTo("connection refused (https://api.example.com/v1/messages)");
        assertThat(refused.refusedLocalServer()).isEmpty();
        var unknown = LocalServer.unreachable(URI.create("http://localhost:8080/v1/x"), new UnknownHostException("nohost"));
        assertThat(unknown.message()).isEqualTo("host not found: localhost (http://localhost:8080/v1/x)");
        assertThat(unknown.refusedLocalServer()).as("not a refusal").isEmpty();
    }

    @Test
    void aNameTheJdkClientCouldNotResolveIsHostNotFoundNotARefusal() {
        // the JDK client reports an unresolvable name as a ConnectException caused by UnresolvedAddressException
        var cause = new ConnectException();
        cause.initCause(new java.nio.channels.UnresolvedAddressException());
        var u = LocalServer.unreachable(URI.create("https://api.nowhere.test/v1/messages"), cause);
        assertThat(u.message()).isEqualTo("host not found: api.nowhere.test (https://api.nowhere.test/v1/messages)");
        assertThat(u.refusedLocalServer()).isEmpty();
    }

    @Test
    void loopbackIsLocalhostOrALoopbackLiteralNeverAResolvedName() {
        assertThat(LocalServer.isLoopback("localhost")).isTrue();
        assertThat(LocalServer.isLoopback("127.0.0.2")).isTrue();
        assertThat(LocalServer.isLoopback("[::1]")).isTrue();
        assertThat(LocalServer.isLoopback("10.0.0.1")).isFalse();
        assertThat(LocalServer.isLoopback("example.com")).isFalse();
    }
}
