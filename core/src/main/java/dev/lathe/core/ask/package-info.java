/**
 * Requests a tool call makes of whoever is attached (permission asks, questions) and the blocking wait for the reply.
 * Imports {@code dev.lathe.protocol} only.
 */
package dev.lathe.core.ask;
