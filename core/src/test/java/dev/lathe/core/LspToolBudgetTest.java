package dev.lathe.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.lsp.LspTool;
import dev.lathe.tools.ToolRegistry;
import org.junit.jupiter.api.Test;

/**
 * The {@code lsp} tool is offered in every project with a language server: with the build prompt and the built-ins it
 * still fits DESIGN §16's first-request budget, and what it takes comes out of the MCP tools' allowance.
 */
class LspToolBudgetTest {
    @Test
    void theLspToolFitsTheFirstRequestBesideTheBuiltIns() {
        int builtIns = McpWiring.builtInCost(ToolRegistry.builtins());
        int lsp = McpWiring.toolCost(new LspTool(null).spec());
        System.out.println("first request: build prompt and built-ins " + builtIns + " tokens, lsp tool " + lsp);
        assertThat(builtIns + lsp).isLessThanOrEqualTo(McpWiring.FIRST_REQUEST_BUDGET);
    }
}
