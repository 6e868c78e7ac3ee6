package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/lmilint/lmilint/analyzer"
	"github.com/lmilint/lmilint/config"
)

func newInitCommand() *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented .lmilint.yaml in the current directory",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path := config.FileNames[0]
			if _, err := os.Stat(path); err == nil && !force {
				return usageError("%s already exists (use --force to overwrite it)", path)
			}
			if err := os.WriteFile(path, []byte(config.Template), 0o644); err != nil {
				return &exitError{code: 2, msg: fmt.Sprintf("cannot write %s: %v", path, analyzer.Cause(err))}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s\n", path)
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	return cmd
}
