/**
 * The permission engine, first cut (DESIGN §10, §18): rules per permission key with glob patterns, the most specific
 * matching pattern wins and ties go to the stricter action; asks block the calling tool until a client replies.
 * Imports protocol, tools (the {@code Permissions} port it implements) and config records.
 */
package dev.lathe.core.permission;
