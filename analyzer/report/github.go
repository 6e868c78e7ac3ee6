package report

import (
	"fmt"
	"io"
	"strings"
)

// WriteGitHub writes GitHub Actions workflow commands, one annotation per
// unsuppressed finding: ::error file=…,line=…,col=…,title=LMI004::message
func WriteGitHub(w io.Writer, r *Report) error {
	for _, f := range r.Findings {
		if f.Suppressed {
			continue
		}
		cmd := "warning"
		switch f.Level {
		case "error":
			cmd = "error"
		case "note":
			cmd = "notice"
		}
		s, e := f.Start(), f.End()
		fmt.Fprintf(w, "::%s file=%s,line=%d,col=%d,endLine=%d,endColumn=%d,title=%s::%s\n", cmd,
			escapeProperty(f.File.RelPath), s.Line, s.Col, e.Line, e.Col, escapeProperty(f.Rule.ID+" "+f.Rule.Name), escapeData(f.Message))
	}
	return nil
}

// escapeData and escapeProperty follow @actions/core's command encoding.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
