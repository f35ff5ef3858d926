package dev.lathe.mcp.stateless;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The era probe (2026-07-28, "Backward Compatibility"): one {@code server/discover} request with modern metadata,
 * a POST on Streamable HTTP, a line on stdio. A result listing 2026-07-28 makes the server stateless. Everything else falls back to
 * {@code initialize}: a legacy server refuses a request outside a session with a 4xx (400 without a session id,
 * 404, 405) or an error, and a modern server that does not list 2026-07-28 is one Lathe cannot speak statelessly
 * either (a dual-era server still answers {@code initialize}). A failure to connect also falls back, so the legacy
 * path reports it as before; the probe costs a legacy server one round trip.
 */
public final class Probe {
    private Probe() {}

    /** Asks the server at {@code channel} which era it is; never throws. */
    public static Era discover(Channel channel) {
        try {
            return classify(channel.exchange(channel.nextId(), Stateless.DISCOVER, StatelessClient.params(Map.of()), Map.of(), n -> { }, true));
        } catch (RpcError e) {
            // the channel reports a redirect instead of following it: the message says where to, and what to set
            if (e.httpStatus() / 100 == 3) return new Era.Redirected(e.getMessage());
            return new Era.Session("server/discover failed: " + e.getMessage());
        } catch (RuntimeException e) {
            return new Era.Session("server/discover failed: " + e.getMessage());
        }
    }

    /**
     * Sends {@code server/discover} on a stdio channel and returns at once: the answer, when it comes, says which era
     * the server is (the caller sends {@code initialize} meanwhile, so a legacy server that never answers costs
     * nothing). Never completes exceptionally.
     */
    public static CompletableFuture<Era> start(StdioChannel channel) {
        return channel.begin(channel.nextId(), Stateless.DISCOVER, StatelessClient.params(Map.of()), n -> { })
                .handle((reply, e) -> e == null ? classify(reply) : new Era.Session("server/discover failed: " + e.getMessage()));
    }

    private static Era classify(Channel.Reply reply) {
        Map<String, Object> message = reply.message();
        if (!reply.isSuccess()) return new Era.Session("server/discover answered HTTP " + reply.status() + describe(message));
        if (message == null) return new Era.Session("server/discover answered no JSON-RPC response");
        if (!(message.get("result") instanceof Map<?, ?> raw)) return new Era.Session("server/discover failed" + describe(message));
        @SuppressWarnings("unchecked")
        Discovery discovery = Discovery.from((Map<String, Object>) raw);
        if (!discovery.supportedVersions().contains(Stateless.VERSION)) {
            return new Era.Session("the server speaks " + String.join(", ", discovery.supportedVersions()) + ", not " + Stateless.VERSION);
        }
        return new Era.Stateless(discovery);
    }

    private static String describe(Map<String, Object> message) {
        if (message != null && message.get("error") instanceof Map<?, ?> error) {
            return ": " + error.get("code") + " " + error.get("message");
        }
        return "";
    }
}
