package dev.lathe.llm;

/** Whether the model may call tools in this request ({@code NONE} still sends the definitions, to keep the cached prefix). */
public enum ToolChoice { AUTO, NONE }
