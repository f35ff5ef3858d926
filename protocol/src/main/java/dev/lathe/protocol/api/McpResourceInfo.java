package dev.lathe.protocol.api;

/**
 * A resource of a connected MCP server that a prompt can attach with {@code @server:uri} (DESIGN §14), for clients'
 * completion: the server's configured name, the resource's {@code uri} (for a {@code template}, an RFC 6570 URI
 * template such as {@code demo://text/{id}} whose variables the user fills in), its name, description and MIME type
 * (empty when the server gives none).
 */
public record McpResourceInfo(String server, String uri, String name, String description, String mimeType, boolean template) {}
