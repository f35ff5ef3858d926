/**
 * The team server's users (DESIGN §20 "Users"): accounts and their tokens, and who may change a session. Used only by
 * a node started with {@code --store}; without one there is a single user, the holder of {@code server.json}'s token.
 */
package dev.lathe.server.users;
