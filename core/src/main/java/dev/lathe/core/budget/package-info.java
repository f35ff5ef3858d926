/**
 * Spend limits and the budget the agent reads (decision 119): {@link dev.lathe.core.budget.Budgets} compares what a
 * session, the day and the project spent (summed by core.store's {@code SpendStore}) with {@code limits} in the config
 * and remembers the raises a user answered; {@link dev.lathe.core.budget.BudgetAsk} is the ask a reached limit makes,
 * the permission ask {@value dev.lathe.protocol.event.BudgetAsks#PERMISSION} every client already answers;
 * {@link dev.lathe.core.budget.BudgetReport} is what the {@code budget} tool and the turn's note tell the model.
 * Imports protocol, llm, and the core packages ask, config, context, permission and store; core.session calls it,
 * nothing here imports core.session.
 */
package dev.lathe.core.budget;
