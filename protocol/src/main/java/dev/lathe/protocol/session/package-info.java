/**
 * Sessions, messages and their parts as stored and sent on the wire (DESIGN §4). Imports only
 * {@code dev.lathe.protocol}.
 */
package dev.lathe.protocol.session;
