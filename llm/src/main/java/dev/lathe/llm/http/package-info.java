/**
 * The shared transport of every protocol: a JSON POST over the JDK {@code HttpClient} whose response is read as
 * server-sent events or as AWS event-stream messages, closed on cancellation, plus the mapping of HTTP failures to
 * {@link dev.lathe.llm.LlmError}. Imports {@code dev.lathe.llm}, {@code dev.lathe.llm.sse} and
 * {@code dev.lathe.llm.eventstream}.
 */
package dev.lathe.llm.http;
