/**
 * The shared transport of every protocol: a JSON POST over our own blocking HTTP/1.1 client ({@code BlockingHttp},
 * with the settings of the JDK {@code HttpClient} it is given) whose response is read as server-sent events or as AWS
 * event-stream messages on the caller's thread, closed on cancellation, plus the mapping of HTTP failures to
 * {@link dev.lathe.llm.LlmError}. Imports {@code dev.lathe.llm}, {@code dev.lathe.llm.sse} and
 * {@code dev.lathe.llm.eventstream}.
 */
package dev.lathe.llm.http;
