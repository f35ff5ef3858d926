/**
 * The {@code gemini} protocol: Google's Generative Language API ({@code streamGenerateContent} over SSE). A pure
 * encoder with a tool-schema fixer for Gemini's OpenAPI subset, a pure per-stream decoder (thought signatures, whole or
 * piecewise function calls, {@code google.rpc.Status} errors), and the adapter. Imports {@code dev.lathe.llm} and its
 * {@code http} package.
 */
package dev.lathe.llm.gemini;
