package main

import (
	"fmt"
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// version is stamped at build time: -ldflags "-X main.version=v1.2.3".
var version = ""

func toolVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func newRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "lmilint",
		Short: "Find thread-safety hazards in C# AWS Lambda code before moving to Lambda Managed Instances",
		Long: `lmilint finds code that is safe when Lambda runs one request per environment at a time, and
unsafe on Lambda Managed Instances, where one process runs many invocations at once: statics and
handler fields written per request, fixed /tmp paths, a shared HttpClient's headers, count++ on
shared fields. It parses C# with tree-sitter; no .NET SDK or build is needed.`,
		Version:       toolVersion(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate("lmilint {{.Version}}\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &exitError{code: 2, msg: err.Error() + " (see '" + c.CommandPath() + " --help')"}
	})
	root.AddCommand(newScanCommand(), newRulesCommand(), newExplainCommand(), newHandlersCommand(), newVersionCommand(), newInitCommand())
	return root
}

func newVersionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the lmilint version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(cmd.OutOrStdout(), "lmilint %s\n", toolVersion())
			return nil
		},
	}
}

func usageError(format string, args ...any) error {
	return &exitError{code: 2, msg: fmt.Sprintf(format, args...)}
}

// isTerminal reports whether f is an interactive terminal.
func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// useColor decides --color auto|always|never; auto honours NO_COLOR and CI.
func useColor(mode string, out *os.File) (bool, error) {
	switch mode {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto", "":
		if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
			return false, nil
		}
		return out != nil && isTerminal(out), nil
	}
	return false, usageError("--color must be auto, always or never, not %q", mode)
}
