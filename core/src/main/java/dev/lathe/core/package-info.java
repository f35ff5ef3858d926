/**
 * The core's composition root: {@link dev.lathe.core.LatheCore} opens the database (after a crash, repairing what was
 * left open when no other process uses it), starts the shared HTTP client and the catalog load, and wires by hand the
 * event bus, the permission broker, the key store, the wire protocols, the tool registry, the projects, the sessions,
 * the project information and the in-process API ({@link dev.lathe.core.api.LocalLathe}) it hands out; it also
 * closes project instances nobody used for a while. This is where tools from outside the built-in set and the
 * tool-call seams are handed to {@code Sessions} (the audit log, {@code core.audit}; the tool hooks, {@code core.hooks}). Imports the core packages api, audit, auth, bus, config, hooks, info, model,
 * permission, project, schedule, session, store and toolcall, llm (the protocols and the shared HTTP client) and tools (the registry, and
 * the built-ins' background processes and search).
 */
package dev.lathe.core;
