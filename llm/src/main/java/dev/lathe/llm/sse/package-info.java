/**
 * Server-sent events parsing shared by every streaming protocol: lines cut without letting one grow without bound
 * ({@link dev.lathe.llm.sse.SseLineReader}) and events assembled from them ({@link dev.lathe.llm.sse.SseParser}), both
 * limited in size ({@link dev.lathe.llm.sse.SseTooLarge}). Imports nothing internal.
 */
package dev.lathe.llm.sse;
