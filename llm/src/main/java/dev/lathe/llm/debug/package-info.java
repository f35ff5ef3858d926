/**
 * {@code lathe debug decode}: runs a protocol's pure decoder over a recorded stream (raw SSE text or one JSON event per
 * line) and renders the normalised events or the merged response as JSON. Imports {@code dev.lathe.llm} and
 * {@code dev.lathe.llm.sse}.
 */
package dev.lathe.llm.debug;
