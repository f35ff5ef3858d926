package dev.lathe.llm.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One provider of the catalog: its AI SDK package (which tells the wire protocol), base URL, key variables and models. */
public record CatalogProvider(String id, String name, String npm, Optional<String> api, List<String> env, Map<String, CatalogModel> models) {}
