/**
 * The one JSON mapping of protocol records, shared by server, client and store so every edge writes the same bytes.
 */
package dev.lathe.protocol.wire;
