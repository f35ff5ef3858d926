/**
 * The Lathe API as Java: request/response bodies of the HTTP routes (DESIGN §6) and {@link dev.lathe.protocol.api.LatheApi},
 * which the server implements in process and the client implements over HTTP, and
 * {@link dev.lathe.protocol.api.LatheException}, the refusals both implementations throw alike. Imports the other protocol packages only.
 */
package dev.lathe.protocol.api;
