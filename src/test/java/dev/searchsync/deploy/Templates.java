package dev.searchsync.deploy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;

/** Takes apart the "${...}" strings hcl2json makes of every expression: that is where the references are. */
final class Templates {
    private Templates() {}

    /**
     * The code of every {@code ${...}} and {@code %{...}} in {@code template}, nested ones (inside quoted strings
     * within an expression) as separate entries. String literals and comments are blanked, so that text such as
     * {@code "var.x"} in a quoted string or a comment is never taken for a reference.
     */
    static List<String> code(String template) {
        List<String> code = new ArrayList<>();
        Deque<String> pending = new ArrayDeque<>(interpolations(template));
        while (!pending.isEmpty()) {
            String expression = pending.pop();
            StringBuilder blanked = new StringBuilder();
            int i = 0;
            while (i < expression.length()) {
                int skipped = skipComment(expression, i);
                if (skipped > i) {
                    blanked.append(' ');
                    i = skipped;
                } else if (expression.charAt(i) == '"') {
                    blanked.append("\"\"");
                    i = endOfString(expression, i, pending) + 1;
                } else {
                    blanked.append(expression.charAt(i));
                    i++;
                }
            }
            code.add(blanked.toString());
        }
        return code;
    }

    /** The text inside each top-level {@code ${...}} and {@code %{...}}; {@code $${} and {@code %%{} are escapes. */
    static List<String> interpolations(String template) {
        List<String> found = new ArrayList<>();
        int i = 0;
        while (i < template.length()) {
            if (template.startsWith("$${", i) || template.startsWith("%%{", i)) {
                i += 3;
            } else if (template.startsWith("${", i) || template.startsWith("%{", i)) {
                int end = closingBrace(template, i + 2);
                found.add(template.substring(i + 2, end));
                i = end + 1;
            } else {
                i++;
            }
        }
        return found;
    }

    /** True when {@code text} is a plain value: Terraform knows it before any plan. */
    static boolean isLiteral(String text) {
        return interpolations(text).isEmpty();
    }

    /** The value a literal template stands for. */
    static String unescape(String literal) {
        return literal.replace("$${", "${").replace("%%{", "%{");
    }

    /** {@code template} without its interpolations: the part whose characters are known before a plan. */
    static String literalParts(String template) {
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            if (template.startsWith("$${", i) || template.startsWith("%%{", i)) {
                text.append(template, i + 1, i + 3);
                i += 3;
            } else if (template.startsWith("${", i) || template.startsWith("%{", i)) {
                i = closingBrace(template, i + 2) + 1;
            } else {
                text.append(template.charAt(i));
                i++;
            }
        }
        return text.toString();
    }

    /** Index of the brace closing an expression that starts at {@code from}; the length when it is unbalanced. */
    private static int closingBrace(String s, int from) {
        int depth = 1;
        int i = from;
        while (i < s.length()) {
            int skipped = skipComment(s, i);
            if (skipped > i) {
                i = skipped;
                continue;
            }
            char c = s.charAt(i);
            if (c == '"') {
                i = endOfString(s, i, null) + 1;
                continue;
            }
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
            i++;
        }
        return s.length();
    }

    /** Index of the quote closing the string opened at {@code start}; its interpolations go to {@code nested}. */
    private static int endOfString(String s, int start, Collection<String> nested) {
        int i = start + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '"') {
                return i;
            } else if (s.startsWith("$${", i) || s.startsWith("%%{", i)) {
                i += 3;
            } else if (s.startsWith("${", i) || s.startsWith("%{", i)) {
                int end = closingBrace(s, i + 2);
                if (nested != null) {
                    nested.add(s.substring(i + 2, end));
                }
                i = end + 1;
            } else {
                i++;
            }
        }
        return s.length();
    }

    /**
     * hcl2json keeps the source text of a multi-line expression, comments included; a quote or brace in a comment
     * must not derail the scan. Returns the index after the comment at {@code i}, or {@code i} when there is none.
     */
    private static int skipComment(String s, int i) {
        if (s.startsWith("#", i) || s.startsWith("//", i)) {
            int end = s.indexOf('\n', i);
            return end < 0 ? s.length() : end;
        }
        if (s.startsWith("/*", i)) {
            int end = s.indexOf("*/", i + 2);
            return end < 0 ? s.length() : end + 2;
        }
        return i;
    }
}
