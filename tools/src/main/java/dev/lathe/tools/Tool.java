package dev.lathe.tools;

import dev.lathe.llm.ToolSpec;
import dev.lathe.protocol.session.ToolDisplay;
import java.util.Optional;
import java.util.Set;

/**
 * One tool the model can call. {@code A} is the record its JSON arguments are parsed into; the schema's property
 * names equal the record's component names (a test checks this for every built-in).
 *
 * <p>A tool describes itself, and the core treats it only by that description, never by its name: its
 * {@link #effects} (does it change files, and does it know which; does it run processes, reach the network, talk to
 * the user, start subagents), where its permission pattern comes from and who checks it ({@link #permission}), which
 * end of a long output to keep ({@link #truncation}). Its results say which files it changed
 * ({@link ToolResult#changedFiles}) and carry typed display data ({@link ToolResult#display}), which clients render.
 *
 * <p>Contract for {@link #run}: called on its own virtual thread; must honour {@code ctx.call().cancellation()}; throws
 * {@link ToolFailure} for anything the model can fix (the message goes back to it verbatim as an error result) and
 * lets {@link PermissionRejected} propagate; any other exception fails the turn. Every process it starts goes through
 * {@code ctx.guards().launcher()}.
 */
public interface Tool<A extends Record> {
    String name();

    /** Prose for the model, loaded from {@code <name>.md} beside the class. */
    String description();

    /** JSON Schema of the arguments, serialised deterministically (same bytes every run). */
    String parametersSchema();

    Class<A> argsType();

    /** What a call may do beyond answering; empty for a tool whose effects stay within the session (a todo list). */
    Set<Effect> effects();

    /** Where the permission pattern comes from, and whether the tool or the pipeline asks. */
    PermissionSource permission();

    /** Which end of an output beyond the limits ({@link Truncation}) is kept. */
    Truncation.Keep truncation();

    ToolResult run(A args, ToolContext ctx);

    /**
     * What a client shows while the call runs, from its arguments alone (a command line, a subagent's name); empty
     * for most tools.
     */
    default Optional<ToolDisplay> announce(A args) { return Optional.empty(); }

    default ToolSpec spec() { return new ToolSpec(name(), description(), parametersSchema()); }
}
