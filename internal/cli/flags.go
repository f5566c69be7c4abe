package cli

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"strings"
)

// newFlags is a command's flag set, which speaks of its flags as azchat
// help and the README write them (--format, not Go's -format) and, on
// -h or a wrong flag, lists them so.
func newFlags(name string, env Env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(&dashes{w: env.Stderr})
	fs.Usage = func() { flagUsage(env.Stderr, name, fs) }
	return fs
}

// commandArgs is what a command takes after its flags.
var commandArgs = map[string]string{
	"ask":    " QUESTION… (or - QUESTION…, the input read from stdin)",
	"tokens": " FILE|- (a JSON array of {role, content, name?})",
}

// flagUsage lists fs's flags to w.
func flagUsage(w io.Writer, name string, fs *flag.FlagSet) {
	fmt.Fprintf(w, "usage: azchat %s [flags]%s", name, commandArgs[name])
	var n int
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n == 0 {
		fmt.Fprintln(w)
		return
	}
	fmt.Fprintln(w, ", with:")
	fs.VisitAll(func(f *flag.Flag) {
		kind, usage := flag.UnquoteUsage(f)
		line := "  " + dashed(f.Name)
		if kind != "" {
			line += " " + strings.ToUpper(kind)
		}
		line += "\t" + usage
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			line += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintln(w, line)
	})
}

// dashes writes what the flag package says of a wrong flag with the flag
// as it is typed: "flag provided but not defined: --bogus" (it wrote
// -bogus, whatever was typed).
type dashes struct{ w io.Writer }

func (d *dashes) Write(p []byte) (int, error) {
	out := p
	for _, lead := range []string{"not defined: -", "needs an argument: -", "for flag -"} {
		if i := bytes.Index(out, []byte(lead)); i >= 0 && !bytes.HasPrefix(out[i+len(lead):], []byte("-")) && !oneLetter(out[i+len(lead):]) {
			at := i + len(lead)
			out = append(append(append([]byte(nil), out[:at]...), '-'), out[at:]...)
		}
	}
	if _, err := d.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// dashed is a flag as azchat's help writes it: -o, --format.
func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// oneLetter reports whether rest, what follows a flag's dash in the flag
// package's message, names a one-letter flag (-o), written with one dash.
func oneLetter(rest []byte) bool {
	return len(rest) == 1 || len(rest) > 1 && (rest[1] == ' ' || rest[1] == '\n' || rest[1] == ':')
}
