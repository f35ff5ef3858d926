/**
 * What a running server leaves on disk so clients find it and a second server does not start: the
 * {@code server.json} discovery file (mode 0600, written atomically) and the exclusive data-folder lock; and
 * {@link dev.lathe.server.daemon.IdleWatch}, which ends an idle daemon.
 * Imports the JDK and {@code dev.lathe.protocol.wire} only.
 */
package dev.lathe.server.daemon;
