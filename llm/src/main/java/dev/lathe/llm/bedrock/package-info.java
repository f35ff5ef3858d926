/**
 * The {@code bedrock-converse} protocol: Amazon Bedrock's ConverseStream API over AWS event-stream framing. A pure
 * encoder with cache points for the models that take them, a pure per-stream decoder of {@code {"<eventType>": ...}}
 * payloads, SigV4 signing, the AWS credential lookup (environment, shared config files, Bedrock API keys), and the
 * adapter. Imports {@code dev.lathe.llm} and its {@code http} package.
 */
package dev.lathe.llm.bedrock;
