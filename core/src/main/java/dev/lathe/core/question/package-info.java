/**
 * Questions a tool put to the user, waiting for an answer server-wide (the {@code question} tool). Imports protocol only.
 */
package dev.lathe.core.question;
