package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/lmilint/lmilint/analyzer"
)

type handlerJSON struct {
	Handler  string `json:"handler"`
	Method   string `json:"method"`
	Source   string `json:"source"`
	Declared string `json:"declaredAt"`
	Location string `json:"location"`
}

func newHandlersCommand() *cobra.Command {
	var format, configPath string
	cmd := &cobra.Command{
		Use:   "handlers [PATH...]",
		Short: "List the Lambda entry points lmilint found, and where each came from",
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageError("--format must be text or json, not %q", format)
			}
			proj, err := loadProject(cmd, args, configPath, true, analyzer.LoadOptions{})
			if err != nil {
				return err
			}
			src, prog := proj.src, proj.prog
			var rows []handlerJSON
			for _, ep := range prog.EntryPoints {
				m := ep.Method
				rows = append(rows, handlerJSON{
					Handler: ep.Handler, Method: m.DisplayName(), Source: ep.Source, Declared: ep.Origin,
					Location: fmt.Sprintf("%s:%d", m.File.RelPath, m.File.Position(int(m.Decl.Start())).Line),
				})
			}
			out := cmd.OutOrStdout()
			if format == "json" {
				if rows == nil {
					rows = []handlerJSON{}
				}
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(rows); err != nil {
					return err
				}
			} else {
				tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "HANDLER\tSOURCE\tDECLARED AT\tMETHOD")
				for _, r := range rows {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Handler, r.Source, r.Declared, r.Location)
				}
				tw.Flush()
				fmt.Fprintf(out, "%d entry points in %d files\n", len(rows), len(src.Files))
			}
			printDiagnostics(cmd.ErrOrStderr(), append(proj.diags, prog.Diagnostics...), false)
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "text|json")
	cmd.Flags().StringVar(&configPath, "config", "", "configuration `FILE` (default: .lmilint.yaml found upward)")
	return cmd
}
