package dev.searchsync.deploy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The expression scanner behind every reference the Terraform check finds, on the strings hcl2json produces. */
class TemplatesTest {
    @Test
    void findsEveryInterpolationOfATemplate() {
        assertThat(Templates.code("s3://${var.bucket}/${local.prefix}/x"))
                .containsExactly("var.bucket", "local.prefix");
    }

    @Test
    void blanksStringLiteralsButScansTheirInterpolations() {
        assertThat(Templates.code("${format(\"%s-${var.x}\", \"}var.not\")}"))
                .containsExactly("format(\"\", \"\")", "var.x");
    }

    @Test
    void skipsCommentsInsideMultiLineExpressions() {
        String expression = "${concat(\n  # don't use var.nope \"here\n  [var.x], // local.nope {\n"
                + "  /* data.a.b */ [local.z],\n)}";

        assertThat(String.join(" ", Templates.code(expression)))
                .contains("var.x", "local.z")
                .doesNotContain("nope", "data.a.b");
    }

    @Test
    void escapesAreLiteralText() {
        assertThat(Templates.isLiteral("$${not.a.reference} and %%{ neither }")).isTrue();
        assertThat(Templates.unescape("$${x}")).isEqualTo("${x}");
        assertThat(Templates.code("%{ if var.on }yes%{ endif }")).containsExactly(" if var.on ", " endif ");
    }

    @Test
    void literalPartsLeaveOutWhatIsOnlyKnownAtApply() {
        assertThat(Templates.literalParts("s3:${var.verb ? \"Get\" : \"Put\"}Object")).isEqualTo("s3:Object");
        assertThat(Templates.literalParts("s3:Get*")).isEqualTo("s3:Get*");
    }
}
