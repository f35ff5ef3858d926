package dev.lathe.tools.plugin;

import dev.lathe.protocol.api.EventListener;
import dev.lathe.tools.Tool;
import java.util.List;

/**
 * A Java plugin: what a jar in a plugins folder contributes to Lathe (DESIGN §14). A jar names its implementations in
 * {@code META-INF/services/dev.lathe.tools.plugin.LathePlugin}, one class name a line; each needs a public no-argument
 * constructor. A plugin compiles against the {@code lathe-tools} artifact alone (this package, the {@link Tool} SPI
 * and the protocol's records).
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #apiVersion} returns {@link #API_VERSION} as the plugin was compiled ({@code return API_VERSION;}: the
 *       constant is copied into the plugin's class). Lathe loads a plugin only when that number is one it speaks, and
 *       reports it otherwise; it is raised only when this interface or the {@link Tool} SPI changes incompatibly.
 *   <li>The constructor and every method here are called once, right after the jar is loaded, on a thread of Lathe's;
 *       they must return quickly and may throw: the plugin is then reported (the log, {@code lathe doctor}) and left
 *       out, and nothing else is affected.
 *   <li>{@link #tools} are offered to the model beside the built-ins and go through the same pipeline: validation,
 *       the permission gate (a tool that checks nothing itself is asked for under its own name), the sandbox for the
 *       processes it starts through {@code ctx.guards().launcher()}, truncation, the audit log. A tool is trusted to declare
 *       its {@link Tool#effects} honestly; one whose effects are not empty but that declares
 *       {@link dev.lathe.tools.PermissionSource#notChecked} is asked for as a whole tool anyway. An exception other
 *       than {@link dev.lathe.tools.ToolFailure} thrown by a tool becomes an error result the model reads; the turn
 *       goes on. A tool named like a built-in or an earlier plugin's tool is left out and reported.
 *   <li>{@link #listeners} see every event Lathe publishes (a project plugin: its project's events and the server's),
 *       read-only, in order, on a thread of their own per listener, never on the turn's thread. A listener that falls
 *       behind loses events (counted and reported), never slows anything else; one that throws is reported and keeps
 *       receiving.
 *
 *   <li>{@link #hooks} fire as hooks written in {@code lathe.json} do (Claude Code's contract, Lathe's tool names),
 *       after the configured ones, in parallel with them; see {@link PluginHook}. A hook that throws (other than
 *       {@link PluginHook.Block}) or runs past its timeout is reported and the event goes on. A hook with an event
 *       Lathe does not know or a matcher that does not compile is left out and reported.
 * </ul>
 *
 * {@snippet :
 * public final class WordCountPlugin implements LathePlugin {
 *     @Override public int apiVersion() { return API_VERSION; }
 *     @Override public String name() { return "word-count"; }
 *     @Override public List<Tool<?>> tools() { return List.of(new WordCountTool()); }
 * }
 * }
 */
public interface LathePlugin {
    /** The version of this interface and of the {@link Tool} SPI that this Lathe speaks. */
    int API_VERSION = 1;

    /** {@link #API_VERSION} as the plugin was compiled against it. */
    int apiVersion();

    /** A short name for messages and the log ({@code word-count}). */
    String name();

    /** The tools this plugin offers; none by default. */
    default List<Tool<?>> tools() { return List.of(); }

    /** The event listeners this plugin registers; none by default. */
    default List<EventListener> listeners() { return List.of(); }

    /** The hooks this plugin registers; none by default. */
    default List<PluginHook> hooks() { return List.of(); }
}
