/**
 * The {@code openai-chat} protocol: OpenAI Chat Completions and the many servers compatible with it (Groq, DeepSeek,
 * OpenRouter, Ollama, vLLM, llama.cpp, ...). A pure encoder, a pure per-stream decoder, and the adapter gluing them to
 * the shared transport. Imports {@code dev.lathe.llm} and its {@code http} package.
 */
package dev.lathe.llm.openai;
