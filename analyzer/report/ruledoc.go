package report

import (
	"fmt"
	"strings"

	"github.com/lmilint/lmilint/analyzer"
)

// HelpText renders a rule's documentation as plain text (SARIF help.text,
// `lmilint explain`).
func HelpText(r *analyzer.Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s (%s)\n%s\n\n", r.ID, r.Name, r.Level, r.Title)
	fmt.Fprintf(&b, "Why it matters\n%s\n\n", indent(stripTicks(r.Why), ""))
	fmt.Fprintf(&b, "Flagged:\n%s\n\n", indent(r.Bad, "    "))
	fmt.Fprintf(&b, "Safe:\n%s\n\n", indent(r.Good, "    "))
	fmt.Fprintf(&b, "Fix\n%s\n", stripTicks(r.Fix))
	if len(r.CWE) > 0 {
		var cwes []string
		for _, c := range r.CWE {
			cwes = append(cwes, fmt.Sprintf("CWE-%d", c))
		}
		fmt.Fprintf(&b, "\nReferences: %s\n", strings.Join(cwes, ", "))
	}
	return b.String()
}

// HelpMarkdown renders a rule's documentation as Markdown (SARIF help.markdown,
// docs/rules/LMI00N.md).
func HelpMarkdown(r *analyzer.Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s %s\n\n**%s** · default level `%s`", r.ID, r.Name, r.Title, r.Level)
	if r.HasFix {
		b.WriteString(" · `--fix` available")
	}
	b.WriteString("\n\n## Why it matters\n\n" + strings.TrimSpace(r.Why) + "\n\n")
	b.WriteString("## Flagged\n\n```csharp\n" + strings.TrimSpace(r.Bad) + "\n```\n\n")
	b.WriteString("## Safe\n\n```csharp\n" + strings.TrimSpace(r.Good) + "\n```\n\n")
	b.WriteString("## How to fix\n\n" + strings.TrimSpace(r.Fix) + "\n")
	if len(r.CWE) > 0 {
		b.WriteString("\n## References\n\n")
		for _, c := range r.CWE {
			fmt.Fprintf(&b, "- [CWE-%d](https://cwe.mitre.org/data/definitions/%d.html)\n", c, c)
		}
	}
	return b.String()
}

func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}

func stripTicks(s string) string { return strings.ReplaceAll(s, "`", "") }
