/**
 * Reports about a session's use of the model (decisions §45): the cache report (each request's cache hits and the
 * prompt block that broke the cache, from the checksums the steps stored) and the context report (what fills the
 * window, block by block). Read-only over a session's history. Imports protocol, llm and core.context.
 */
package dev.lathe.core.report;
