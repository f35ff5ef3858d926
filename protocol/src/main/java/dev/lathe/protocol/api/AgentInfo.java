package dev.lathe.protocol.api;

/** An agent a session can use; {@code mode} is {@code primary | subagent | all}. */
public record AgentInfo(String name, String description, String mode) {}
