package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.protocol.api.LatheException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestGuardTest {
    private final RequestGuard guard = new RequestGuard(ServerOptions.of("tok", "1").withAllowedHost("::5"), 8080);

    @Test
    void acceptsLoopbackAndConfiguredHostsWithAnyPortSuffix() {
        for (String host : new String[] {"localhost", "127.0.0.1:8080", "[::1]", "[::1]:9", "[::5]:8080", "LocalHost:1"}) {
            assertThatCode(() -> guard.checkHost(Optional.of(host))).as(host).doesNotThrowAnyException();
        }
    }

    @Test
    void rejectsOtherHosts() {
        for (String host : new String[] {"", "::1", "127.0.0.1:80:80", "127.0.0.1.nip.io", "[::1]x", "localhost:", "localhost:x"}) {
            assertThatThrownBy(() -> guard.checkHost(Optional.of(host))).as(host)
                    .isInstanceOfSatisfying(HttpRefusal.class, e -> assertThat(e.status()).isEqualTo(421));
        }
    }

    @Test
    void tokenCheckNeedsTheBearerScheme() {
        var callers = new Callers("tok", dev.lathe.server.users.User.localAdmin("node_x"), Optional.empty());
        assertThat(callers.byHeader(Optional.of("Bearer tok"))).isEqualTo(dev.lathe.server.users.User.localAdmin("node_x"));
        assertThatCode(() -> callers.byHeader(Optional.of("bearer  tok "))).doesNotThrowAnyException();
        for (String header : new String[] {"tok", "Bearer", "Bearer to", "Bearer tokk", "Basic tok"}) {
            assertThatThrownBy(() -> callers.byHeader(Optional.of(header))).as(header).isInstanceOf(LatheException.Unauthorized.class);
        }
    }

    @Test
    void generatedTokensAreUrlSafeAndDistinct() {
        String a = BearerToken.generate();
        assertThat(a).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(BearerToken.generate()).isNotEqualTo(a);
    }
}
