/**
 * Questions a tool put to the user, waiting for an answer server-wide ({@link dev.lathe.core.question.QuestionBroker},
 * for the {@code question} tool). Imports protocol and {@code core.reply} (the wait for an answer).
 */
package dev.lathe.core.question;
