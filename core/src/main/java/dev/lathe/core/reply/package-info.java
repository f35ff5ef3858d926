/**
 * A request waiting for a reply from whoever is attached (a permission ask, a question) and the blocking wait for
 * it, shared by the permission and question brokers. Imports {@code dev.lathe.protocol} only.
 */
package dev.lathe.core.reply;
