/**
 * Byte-pair token counting in little memory: a vocabulary's ranks in three flat arrays ({@link dev.lathe.llm.bpe.Ranks})
 * and the count of a text's tokens ({@link dev.lathe.llm.bpe.BytePairCounter}), exact for OpenAI's {@code o200k_base}.
 * Imports nothing internal.
 */
package dev.lathe.llm.bpe;
