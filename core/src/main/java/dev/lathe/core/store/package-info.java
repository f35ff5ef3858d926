/**
 * The storage port (DESIGN §4, §20): {@link dev.lathe.core.store.Storage} and one interface per table family
 * (sessions, messages and parts, todos, approvals, projects, whole transcripts, spend, stats), the
 * {@link dev.lathe.core.store.StoreException} every adapter fails with, and the start-up repair of what a crash left
 * open ({@link dev.lathe.core.store.Recovery}), written against the port. The adapters live below it
 * ({@code core.store.sqlite}); every adapter passes the contract suite {@code StorageContract} in core's tests. Imports
 * protocol, and {@code core.permission} for the rules the approval store keeps.
 */
package dev.lathe.core.store;
