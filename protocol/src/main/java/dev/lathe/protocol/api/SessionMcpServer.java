package dev.lathe.protocol.api;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Map;

/**
 * An MCP server a client brings for one session only (an editor's {@code mcpServers} over ACP): its tools join that
 * session's turns beside the project's servers', named {@code NAME_TOOL} like theirs. Wire {@code type}:
 * {@code stdio} (a command Lathe starts) or {@code http} (Streamable HTTP, legacy SSE as a fallback, so an ACP
 * {@code sse} server is sent as {@code http}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = SessionMcpServer.Stdio.class, name = "stdio"),
        @JsonSubTypes.Type(value = SessionMcpServer.Http.class, name = "http")})
public sealed interface SessionMcpServer {
    /** What a name may be: it prefixes the server's tools' names, which providers limit to these characters. */
    String NAME = "[A-Za-z0-9_-]{1,64}";

    /**
     * {@code anyName} (an editor's, which may hold spaces or dots) as a valid {@link #NAME}: every other character
     * replaced by {@code _}, cut at 64, {@code mcp} when nothing is left.
     */
    static String nameFor(String anyName) {
        String n = anyName == null ? "" : anyName.strip().replaceAll("[^A-Za-z0-9_-]", "_");
        if (n.length() > 64) n = n.substring(0, 64);
        return n.isEmpty() ? "mcp" : n;
    }

    /** The {@code NAME} of the server's tools {@code NAME_TOOL}; unique within the session's list. */
    String name();

    /** {@code command} (found on {@code PATH} like a shell would) with {@code args}, {@code env} added to its environment. */
    record Stdio(String name, String command, List<String> args, Map<String, String> env) implements SessionMcpServer {
        public Stdio {
            args = args == null ? List.of() : args;
            env = env == null ? Map.of() : env;
        }
    }

    /** A remote server at {@code url} (http or https), every request carrying {@code headers}. */
    record Http(String name, String url, Map<String, String> headers) implements SessionMcpServer {
        public Http {
            headers = headers == null ? Map.of() : headers;
        }
    }
}
