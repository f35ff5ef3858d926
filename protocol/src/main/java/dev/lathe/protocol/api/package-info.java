/**
 * The Lathe API as Java: request/response bodies of the HTTP routes (DESIGN §6) and {@link dev.lathe.protocol.api.LatheApi},
 * which the server implements in process and the client implements over HTTP, and
 * {@link dev.lathe.protocol.api.LatheException}, the refusals both implementations throw alike, and
 * {@link dev.lathe.protocol.api.RequestShape}, the shape checks of requests both edges apply alike. Imports the other
 * protocol packages only.
 */
package dev.lathe.protocol.api;
