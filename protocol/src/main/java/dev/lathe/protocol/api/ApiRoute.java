package dev.lathe.protocol.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Every HTTP route of the API (DESIGN §6, §24 "Every route declared once"): its method and path template, declared
 * here and nowhere else. The server binds each to its rights, documentation and handler ({@code Router.add}), the Java
 * client builds its requests from it ({@link #path}), the web client's paths come from the same table (the server
 * serves it as {@code /js/api-routes.js}), and the OpenAPI document is made from the server's table. A new route is
 * one constant here and one {@code Router.add}; rule tests fail when a route is bound twice or not at all, and when a
 * client writes a path by hand.
 *
 * <p>Templates name path parameters in braces ({@code /sessions/{id}}); {@link #path} fills them in order,
 * percent-encoding each value as one segment, so a name holding {@code /}, {@code ?} or {@code ..} stays in its
 * segment.
 */
public enum ApiRoute {
    HEALTH("GET", "/health"),
    EVENTS("GET", "/events"),
    METRICS("GET", "/metrics"),
    DRAIN("POST", "/admin/drain"),
    DOC("GET", "/doc"),

    ME("GET", "/me"),
    OWNERS("GET", "/owners"),
    USERS("GET", "/users"),
    USER_ADD("POST", "/users"),
    USER_REMOVE("DELETE", "/users/{name}"),
    USER_TOKEN("POST", "/users/{name}/token"),

    SESSIONS("GET", "/sessions"),
    BOARD("GET", "/board"),
    PROJECTS("GET", "/projects"),
    SESSION_CREATE("POST", "/sessions", Environment.READ),
    SESSION_STATUSES("GET", "/sessions/status"),
    SESSION_IMPORT("POST", "/sessions/import"),
    HISTORY_IMPORT("POST", "/import/history"),
    SESSION("GET", "/sessions/{id}"),
    SESSION_UPDATE("PATCH", "/sessions/{id}"),
    SESSION_DELETE("DELETE", "/sessions/{id}"),
    SESSION_MESSAGES("GET", "/sessions/{id}/messages"),
    SESSION_STATUS("GET", "/sessions/{id}/status"),
    SESSION_PROMPT("POST", "/sessions/{id}/prompt", Environment.READ),
    SESSION_ABORT("POST", "/sessions/{id}/abort"),
    SESSION_COMMAND("POST", "/sessions/{id}/command", Environment.READ),
    SESSION_SHELL("POST", "/sessions/{id}/shell", Environment.READ),
    SESSION_FORK("POST", "/sessions/{id}/fork"),
    SESSION_REVERT("POST", "/sessions/{id}/revert"),
    SESSION_UNREVERT("POST", "/sessions/{id}/unrevert"),
    SESSION_UNDO("POST", "/sessions/{id}/undo"),
    SESSION_REDO("POST", "/sessions/{id}/redo"),
    SESSION_REWIND("POST", "/sessions/{id}/rewind"),
    SESSION_COMPACT("POST", "/sessions/{id}/compact"),
    SESSION_CHILDREN("GET", "/sessions/{id}/children"),
    BACKGROUND_TASKS("GET", "/background-tasks"),
    SESSION_PROCESSES("GET", "/sessions/{id}/processes"),
    SESSION_PROCESS_OUTPUT("GET", "/sessions/{id}/processes/{processId}/output"),
    SESSION_PROCESS_INPUT("POST", "/sessions/{id}/processes/{processId}/input"),
    SESSION_PROCESS_KILL("POST", "/sessions/{id}/processes/{processId}/kill"),
    SESSION_TODO("GET", "/sessions/{id}/todo"),
    SESSION_TODOS("GET", "/sessions/{id}/todos"),
    SESSION_DIFF("GET", "/sessions/{id}/diff"),
    SESSION_USAGE("GET", "/sessions/{id}/usage"),
    SESSION_STATUS_LINE("GET", "/sessions/{id}/status-line"),
    SESSION_CACHE("GET", "/sessions/{id}/cache"),
    SESSION_CONTEXT("GET", "/sessions/{id}/context"),
    SESSION_MCP("GET", "/sessions/{id}/mcp"),
    SESSION_MCP_SET("PUT", "/sessions/{id}/mcp"),
    SESSION_EXPORT("GET", "/sessions/{id}/export"),
    SESSION_EXPORT_HARNESS("POST", "/sessions/{id}/export/harness"),
    SESSION_EDITOR_ATTACH("PUT", "/sessions/{id}/editor"),
    SESSION_EDITOR_DETACH("DELETE", "/sessions/{id}/editor"),
    EDITOR_REQUEST("GET", "/editor/{requestId}"),
    EDITOR_ANSWER("POST", "/editor/{requestId}"),

    PERMISSIONS("GET", "/permissions"),
    PERMISSION_REPLY("POST", "/permissions/{id}/reply"),
    /** The same as {@link #PERMISSION_REPLY}, the form older clients send. */
    PERMISSION_REPLY_SHORT("POST", "/permissions/{id}"),
    APPROVALS("GET", "/approvals"),
    APPROVAL_REVOKE("DELETE", "/approvals/{id}"),
    QUESTIONS("GET", "/questions"),
    QUESTION_REPLY("POST", "/questions/{id}/reply"),
    /** The same as {@link #QUESTION_REPLY}, the form older clients send. */
    QUESTION_REPLY_SHORT("POST", "/questions/{id}"),
    AGENTS("GET", "/agents", Environment.READ),
    MODES("GET", "/modes", Environment.READ),
    COMMANDS("GET", "/commands", Environment.READ),
    SKILLS("GET", "/skills", Environment.READ),
    HOOKS("GET", "/hooks", Environment.READ),
    MCP("GET", "/mcp", Environment.READ),
    MCP_RESTART("POST", "/mcp/{name}/restart", Environment.READ),
    MCP_SIGN_IN("POST", "/mcp/{name}/auth", Environment.READ),
    PROVIDER_SIGN_IN("POST", "/auth/{provider}/sign-in", Environment.READ),
    MCP_RESOURCES("GET", "/mcp/resources", Environment.READ),
    LSP("GET", "/lsp", Environment.READ),
    MEMORY("GET", "/memory", Environment.READ),
    BLOCKED_CONNECTIONS("GET", "/network/blocked"),
    MODELS("GET", "/models", Environment.READ),
    PROVIDERS("GET", "/providers", Environment.READ),
    TRUST("GET", "/trust"),
    TRUST_SET("PUT", "/trust"),
    CONFIG("GET", "/config", Environment.READ),
    CONFIG_UPDATE("PATCH", "/config"),
    FILES("GET", "/files"),
    FILE_CONTENT("GET", "/files/content"),
    FIND_FILES("GET", "/find/files"),
    FIND_TEXT("GET", "/find/text"),
    STATS("GET", "/stats"),
    AUTH_SET("PUT", "/auth/{provider}"),
    AUTH_REMOVE("DELETE", "/auth/{provider}"),

    WORKTREE_CREATE("POST", "/worktrees"),
    WORKTREES("GET", "/worktrees"),
    WORKTREE_END("POST", "/worktrees/{name}/end"),
    WORKTREE_MERGE("POST", "/worktrees/{name}/merge"),
    WORKTREE_REMOVE("DELETE", "/worktrees/{name}"),

    SCHEDULES("GET", "/schedules"),
    SCHEDULE_ADD("POST", "/schedules", Environment.READ),
    SCHEDULE_REMOVE("DELETE", "/schedules/{id}"),

    TEAM("GET", "/teams/{id}"),
    SESSION_TEAM("GET", "/sessions/{id}/team"),

    LOGIN_CODE("POST", "/login/code"),
    LOGIN_PAGE("GET", "/login"),
    LOGIN("POST", "/login");

    /**
     * Whether the server reads the caller's {@link ClientEnvironment#HEADER} on this route: those that create or prompt
     * a session, describe what its sessions see, or act on MCP servers and sign-ins as its configuration defines them.
     */
    public enum Environment { IGNORED, READ }

    private final String method;
    private final String template;
    private final Environment environment;
    private final List<String> parameters;

    ApiRoute(String method, String template) {
        this(method, template, Environment.IGNORED);
    }

    ApiRoute(String method, String template, Environment environment) {
        if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) throw new IllegalArgumentException("not an HTTP method of the API: " + method);
        if (!template.startsWith("/")) throw new IllegalArgumentException("a template starts with /: " + template);
        this.method = method;
        this.template = template;
        this.environment = environment;
        var names = new ArrayList<String>();
        for (String segment : template.substring(1).split("/")) {
            if (segment.startsWith("{") && segment.endsWith("}")) names.add(segment.substring(1, segment.length() - 1));
        }
        this.parameters = List.copyOf(names);
    }

    /** {@code GET}, {@code POST}, {@code PUT}, {@code PATCH} or {@code DELETE}. */
    public String method() { return method; }

    /** The path with its parameters in braces, e.g. {@code /sessions/{id}/prompt}. */
    public String template() { return template; }

    /** The names of the path parameters, in the order {@link #path} takes their values. */
    public List<String> parameters() { return parameters; }

    /** Whether the server reads the caller's {@link ClientEnvironment#HEADER} here. */
    public Environment environment() { return environment; }

    /**
     * The path with {@code values} in place of the parameters, in order, each percent-encoded as one segment (UTF-8;
     * everything but {@code A-Z a-z 0-9 - . _ ~}, and the dots of a {@code .} or {@code ..} value).
     *
     * @throws IllegalArgumentException when the number of values is not the number of parameters (a bug of the caller)
     * @throws LatheException.InvalidInput when a value is empty: no segment can hold it
     */
    public String path(String... values) {
        if (values.length != parameters.size()) {
            throw new IllegalArgumentException(this + " " + template + " takes " + parameters.size() + " path values, not " + values.length);
        }
        if (values.length == 0) return template;
        var out = new StringBuilder(template.length() + 32);
        int next = 0;
        for (String segment : template.substring(1).split("/")) {
            out.append('/');
            if (segment.startsWith("{")) {
                String value = values[next++];
                if (value == null || value.isEmpty()) throw new LatheException.InvalidInput(segment.substring(1, segment.length() - 1) + " is empty");
                out.append(encodeSegment(value));
            } else {
                out.append(segment);
            }
        }
        return out.toString();
    }

    /** {@code value} as one path segment. */
    public static String encodeSegment(String value) {
        if (value.equals(".") || value.equals("..")) return value.replace(".", "%2E");
        var out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
            if (plain) out.append((char) c);
            else out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
        }
        return out.toString();
    }
}
