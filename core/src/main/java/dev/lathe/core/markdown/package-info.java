/**
 * Markdown files that carry settings: the YAML front matter of agent, command and skill files, read by a small strict
 * parser. Pure text in, values out; imports nothing internal.
 */
package dev.lathe.core.markdown;
