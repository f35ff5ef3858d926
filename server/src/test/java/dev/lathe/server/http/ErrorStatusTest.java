package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The status and body each {@link LatheException} case answers, as the API has always answered them (DESIGN §6):
 * a changed mapping, a changed default code or a new case without a row here fails.
 */
class ErrorStatusTest {
    /** One refusal of every case, with the status and code it must answer. */
    private record Row(LatheException refusal, int status, String code) {}

    private static final List<Row> ROWS = List.of(
            new Row(new LatheException.InvalidInput("m"), 400, "bad_request"),
            new Row(new LatheException.Unauthorized("m"), 401, "unauthorized"),
            new Row(new LatheException.Forbidden("m"), 403, "forbidden"),
            new Row(new LatheException.Forbidden("permission_denied", "m"), 403, "permission_denied"),
            new Row(new LatheException.NotFound("m"), 404, "not_found"),
            new Row(new LatheException.Conflict("m"), 409, "conflict"),
            new Row(new LatheException.TooLarge("m"), 413, "too_large"),
            new Row(new LatheException.TooLarge("payload_too_large", "m"), 413, "payload_too_large"),
            new Row(new LatheException.InvalidConfig("m"), 422, "config_invalid"),
            new Row(new LatheException.InvalidConfig("command_invalid", "m"), 422, "command_invalid"),
            new Row(new LatheException.CommandFailed("m"), 422, "command_failed"),
            new Row(new LatheException.Failed("search_failed", "m"), 500, "search_failed"),
            new Row(new LatheException.Failed("config_unwritable", "m"), 500, "config_unwritable"),
            new Row(new LatheException.Failed("auth_file_invalid", "m"), 500, "auth_file_invalid"),
            new Row(new LatheException.Unavailable("snapshot_failed", "m"), 503, "snapshot_failed"));

    private final ServerHarness h = new ServerHarness();

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void everyCaseHasItsStatusAndCode() {
        for (Row row : ROWS) {
            assertThat(ErrorStatus.of(row.refusal())).as(row.refusal().getClass().getSimpleName()).isEqualTo(row.status());
            assertThat(row.refusal().code()).isEqualTo(row.code());
        }
    }

    @Test
    void theTableCoversEveryCase() {
        java.util.Set<Class<?>> covered = ROWS.stream().map(r -> (Class<?>) r.refusal().getClass()).collect(Collectors.toSet());
        assertThat(covered).containsExactlyInAnyOrderElementsOf(Arrays.asList(LatheException.class.getPermittedSubclasses()));
    }

    @Test
    void eachCaseAnswersItsStatusAndBodyOverHttpAndComesBackAsTheSameCase() {
        for (Row row : ROWS) {
            String what = row.refusal().getClass().getSimpleName() + " " + row.code();
            h.api.failWith = Optional.of(row.refusal());

            var response = h.send(h.request("/sessions/" + SessionId.next().value()));
            assertThat(response.statusCode()).as(what).isEqualTo(row.status());
            assertThat(response.body()).as(what).isEqualTo("{\"error\":{\"code\":\"" + row.code() + "\",\"message\":\"m\"}}");

            var back = org.assertj.core.api.Assertions.catchThrowableOfType(LatheException.class, () -> h.client.session(SessionId.next()));
            assertThat(back).as(what).isExactlyInstanceOf(row.refusal().getClass());
            assertThat(back.code()).as(what).isEqualTo(row.code());
            assertThat(back.getMessage()).as(what).isEqualTo("m");
        }
    }
}
