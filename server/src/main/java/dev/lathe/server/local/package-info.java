/**
 * The command line's offline commands, for {@code app}: {@link dev.lathe.server.local.LocalCommands} is the facade
 * {@code lathe models}, {@code lathe auth}, {@code lathe debug decode}, {@code lathe debug permission}, {@code lathe audit} and {@code lathe trust} call in
 * process — no daemon, no store — so {@code app} names no core or llm code (DESIGN §2). It adapts {@code core.offline}
 * to protocol and JDK types, and holds the NDJSON edge of {@code debug permission} (JSON stops here). Imports
 * {@code core.offline}, {@code core.permission} (its decision record), {@code core.audit} and {@code core.config} (the
 * audit files and where they are), {@code core.trust} (the trusted folders) and protocol.
 */
package dev.lathe.server.local;
