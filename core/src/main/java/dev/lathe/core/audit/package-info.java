/**
 * The tamper-evident audit log (DESIGN §18 "Audit log"): every tool call (the pipeline's {@code AuditLog} seam), every
 * permission decision with its deciding rule and that rule's layer, every answer to an ask and every command the
 * sandbox refused (the {@code DecisionLog} seam), appended per project to one JSON line each under the data folder,
 * chained by SHA-256 ({@link dev.lathe.core.audit.AuditChain}) so a changed, removed or reordered entry is found by
 * {@link dev.lathe.core.audit.AuditChain#verify}, and the end anchored outside the file
 * ({@link dev.lathe.core.audit.AuditHead}) so cut-off last entries are found too. Never holds
 * tool output or file contents. Imports {@code core.permission} (the decision seam), {@code core.toolcall} (the call
 * seam) and Jackson; nothing else in core.
 */
package dev.lathe.core.audit;
