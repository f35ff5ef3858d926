package dev.lathe.tools;

import dev.lathe.llm.ToolSpec;

/**
 * One tool the model can call. {@code A} is the record its JSON arguments are parsed into; the schema's property
 * names equal the record's component names (a test checks this for every built-in).
 *
 * <p>Contract for {@link #run}: called on its own virtual thread; must honour {@code ctx.cancellation()}; throws
 * {@link ToolFailure} for anything the model can fix (the message goes back to it verbatim as an error result) and
 * lets {@link PermissionRejected} propagate; any other exception fails the turn.
 */
public interface Tool<A extends Record> {
    String name();

    /** Prose for the model, loaded from {@code <name>.md} beside the class. */
    String description();

    /** JSON Schema of the arguments, serialised deterministically (same bytes every run). */
    String parametersSchema();

    Class<A> argsType();

    ToolResult run(A args, ToolContext ctx);

    default ToolSpec spec() { return new ToolSpec(name(), description(), parametersSchema()); }
}
