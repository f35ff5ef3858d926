/**
 * The models.dev catalog: every provider with its wire protocol, base URL and key variables, and every model with its
 * limits and prices. A snapshot is bundled; a fresher copy may sit in the cache folder. Imports {@code dev.lathe.llm}.
 */
package dev.lathe.llm.catalog;
