/**
 * The one JSON mapping of protocol records ({@link dev.lathe.protocol.wire.WireJson}), shared by server, client, store
 * and console so every edge writes the same bytes, and its warm-up. Imports the other protocol packages and Jackson.
 */
package dev.lathe.protocol.wire;
