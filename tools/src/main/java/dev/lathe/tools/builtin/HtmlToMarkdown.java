package dev.lathe.tools.builtin;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;

/**
 * A web page as Markdown a model reads cheaply: headings, paragraphs, links, emphasis, lists, code and quotes; scripts,
 * styles and page chrome (nav, footer, forms) dropped. Parsing is jsoup's, so broken HTML still converts.
 */
final class HtmlToMarkdown {
    private HtmlToMarkdown() {}

    static String convert(String html, String baseUrl) {
        Document doc = Jsoup.parse(html, baseUrl);
        String title = doc.title();
        strip(doc);
        var out = new StringBuilder();
        block(doc.body() != null ? doc.body() : doc, out, 0);
        String body = out.toString().replaceAll("\n{3,}", "\n\n").strip();
        return title.isBlank() || body.startsWith("# ") ? body : "# " + title.strip() + "\n\n" + body;
    }

    /** The page's readable text only, with the same parts left out as in {@link #convert}. */
    static String text(String html) {
        Document doc = Jsoup.parse(html);
        String title = doc.title();
        strip(doc);
        String body = doc.body() != null ? doc.body().text() : doc.text();
        return title.isBlank() ? body : title.strip() + "\n\n" + body;
    }

    private static void strip(Document doc) {
        doc.select("script, style, noscript, template, svg, nav, footer, form, iframe, head").remove();
    }

    private static void block(Element element, StringBuilder out, int listDepth) {
        for (Node child : element.childNodes()) {
            if (child instanceof TextNode t) {
                out.append(collapse(t.text()));
            } else if (child instanceof Element e) {
                element(e, out, listDepth);
            }
        }
    }

    private static void element(Element e, StringBuilder out, int listDepth) {
        switch (e.tagName()) {
            case "h1", "h2", "h3", "h4", "h5", "h6" -> {
                int level = e.tagName().charAt(1) - '0';
                out.append("\n\n").append("#".repeat(level)).append(' ').append(inline(e).strip()).append("\n\n");
            }
            case "p", "div", "section", "article", "main", "header", "aside", "figure", "table" -> {
                out.append("\n\n");
                block(e, out, listDepth);
                out.append("\n\n");
            }
            case "tr" -> {
                out.append("\n| ");
                for (Element cell : e.children()) out.append(inline(cell).strip()).append(" | ");
            }
            case "br" -> out.append("  \n");
            case "hr" -> out.append("\n\n---\n\n");
            case "pre" -> out.append("\n\n```\n").append(e.wholeText().stripTrailing()).append("\n```\n\n");
            case "code" -> out.append('`').append(e.text()).append('`');
            case "a" -> {
                String text = inline(e).strip();
                String href = e.absUrl("href");
                out.append(href.isBlank() || text.isBlank() ? text : "[" + text + "](" + href + ")");
            }
            case "strong", "b" -> out.append("**").append(inline(e).strip()).append("**");
            case "em", "i" -> out.append('*').append(inline(e).strip()).append('*');
            case "img" -> {
                String alt = e.attr("alt");
                if (!alt.isBlank()) out.append("![").append(alt).append("](").append(e.absUrl("src")).append(')');
            }
            case "ul", "ol" -> {
                out.append("\n");
                int n = 1;
                for (Element item : e.children()) {
                    if (!item.tagName().equals("li")) continue;
                    out.append("\n").append("  ".repeat(listDepth)).append(e.tagName().equals("ol") ? (n++) + ". " : "- ");
                    var inner = new StringBuilder();
                    block(item, inner, listDepth + 1);
                    out.append(inner.toString().strip());
                }
                out.append("\n\n");
            }
            case "blockquote" -> {
                var inner = new StringBuilder();
                block(e, inner, listDepth);
                out.append("\n\n");
                for (String line : inner.toString().strip().split("\n")) out.append("> ").append(line).append('\n');
                out.append('\n');
            }
            default -> block(e, out, listDepth);
        }
    }

    private static String inline(Element e) {
        var sb = new StringBuilder();
        block(e, sb, 0);
        return sb.toString().replaceAll("\\s*\n\\s*", " ");
    }

    private static String collapse(String text) {
        return text.replaceAll("\\s+", " ");
    }
}
