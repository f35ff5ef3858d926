/**
 * The shared transport of every protocol: a JSON POST over the JDK {@code HttpClient} whose response is read as
 * server-sent events, closed on cancellation, plus the mapping of HTTP failures to {@link dev.lathe.llm.LlmError}.
 * Imports {@code dev.lathe.llm} and {@code dev.lathe.llm.sse}.
 */
package dev.lathe.llm.http;
