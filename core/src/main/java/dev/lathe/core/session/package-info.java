/**
 * Sessions and the turn loop (DESIGN §8): one runner per session on its own virtual thread, steps that stream the
 * model's answer into stored parts, tool calls run in parallel under permission checks, and the context built from
 * stored history in a cache-stable layout (DESIGN §7). Imports protocol, llm, tools and the other core packages.
 */
package dev.lathe.core.session;
