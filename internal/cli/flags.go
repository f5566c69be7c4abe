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

// flagUsage lists fs's flags to w.
func flagUsage(w io.Writer, name string, fs *flag.FlagSet) {
	fmt.Fprintf(w, "usage: azchat %s [flags]", name)
	var n int
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n == 0 {
		fmt.Fprintln(w)
		return
	}
	fmt.Fprintln(w, ", with:")
	fs.VisitAll(func(f *flag.Flag) {
		kind, usage := flag.UnquoteUsage(f)
		line := "  --" + f.Name
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
		if i := bytes.Index(out, []byte(lead)); i >= 0 && !bytes.HasPrefix(out[i+len(lead):], []byte("-")) {
			at := i + len(lead)
			out = append(append(append([]byte(nil), out[:at]...), '-'), out[at:]...)
		}
	}
	if _, err := d.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}
