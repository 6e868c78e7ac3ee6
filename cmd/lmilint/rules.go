package main

import (
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/lmilint/lmilint/analyzer/report"
	"github.com/lmilint/lmilint/rules"
)

func newRulesCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "rules",
		Short: "List the rules: ID, name, default level, summary",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tLEVEL\tSUMMARY")
			for _, r := range rules.All {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Name, r.Level, r.Title)
			}
			return tw.Flush()
		},
	}
}

func newExplainCommand() *cobra.Command {
	return &cobra.Command{
		Use:               "explain RULE",
		Short:             "Explain a rule: why it matters, a flagged and a safe example, how to fix",
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeRuleIDs,
		RunE: func(cmd *cobra.Command, args []string) error {
			r := rules.Lookup(args[0])
			if r == nil {
				return usageError("unknown rule %q; 'lmilint rules' lists them", args[0])
			}
			text := report.HelpText(r)
			if color, _ := useColor("auto", os.Stdout); color && cmd.OutOrStdout() == os.Stdout {
				text = highlightHelp(text)
			}
			fmt.Fprint(cmd.OutOrStdout(), text)
			fmt.Fprintf(cmd.OutOrStdout(), "\nMore: %s\n", report.HelpURI(r))
			return nil
		},
	}
}

// highlightHelp bolds the section headings of a rule's help on a terminal.
func highlightHelp(text string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		switch l {
		case "Why it matters", "Flagged:", "Safe:", "Fix":
			lines[i] = "\033[1m" + l + "\033[0m"
		}
	}
	if len(lines) > 0 {
		lines[0] = "\033[1;36m" + lines[0] + "\033[0m"
	}
	return strings.Join(lines, "\n")
}

func completeRuleIDs(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var ids []string
	for _, r := range rules.All {
		ids = append(ids, r.ID+"\t"+r.Title)
	}
	return ids, cobra.ShellCompDirectiveNoFileComp
}
