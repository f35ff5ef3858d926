package dev.lathe.mcp.stateless;

import java.util.Map;
import java.util.function.Consumer;

/**
 * How 2026-07-28 requests reach a server: {@link HttpChannel} (one POST each) or {@link StdioChannel} (lines on a
 * process's stdin and stdout, shared with the SDK's transport while the era is being probed).
 */
public sealed interface Channel extends AutoCloseable permits HttpChannel, StdioChannel {

    /** A response: the HTTP status (200 on stdio) and the JSON-RPC message answering the request (null when none came). */
    record Reply(int status, Map<String, Object> message, String body) {
        boolean isSuccess() { return status / 100 == 2; }
    }

    /** The JSON-RPC id the next request gets. */
    long nextId();

    /**
     * Sends request {@code id} and returns the response that answers it; notifications that belong to it before
     * then go to {@code notifications} (a {@code notifications/progress} by its request's {@code progressToken}).
     * {@code headers} are mirrored request values (HTTP only). With {@code timeout} true the answer must come within
     * the channel's timeout of the later of the request's start and its last notification; with it false the answer may take as long as the server likes (a {@code subscriptions/listen}
     * stream), and this returns when it ends. Fails with {@link RpcError} when the exchange itself fails.
     */
    Reply exchange(long id, String method, Map<String, Object> params, Map<String, String> headers,
                   Consumer<Map<String, Object>> notifications, boolean timeout);

    /** Ends every exchange in flight; never throws. */
    @Override
    void close();
}
