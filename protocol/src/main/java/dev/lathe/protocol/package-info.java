/**
 * Typed ids shared by every module ({@link dev.lathe.protocol.SessionId}, {@link dev.lathe.protocol.MessageId}, ...:
 * prefixed and time-ordered), {@link dev.lathe.protocol.RawJson} (JSON text carried as it is) and the build's
 * {@link dev.lathe.protocol.Version}. Imports nothing internal; no I/O beyond reading the version resource.
 */
package dev.lathe.protocol;
