/**
 * The AWS event-stream binary framing ({@code application/vnd.amazon.eventstream}) that Bedrock streams use: a pure
 * reader that verifies both checksums of every message, a writer for tests, and the conversion of a message to the
 * {@code {"<eventType>": payload}} line that stream decoders take. No I/O of its own; imports nothing internal.
 */
package dev.lathe.llm.eventstream;
