/**
 * The {@code websearch} tool (DESIGN §29): a provider-neutral web search any model can call, through the backend
 * {@code "websearch"} in the configuration names (SearXNG, Brave, Tavily or Exa), offered only where it is configured.
 */
package dev.lathe.core.websearch;
