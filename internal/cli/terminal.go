package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
	"unicode"
)

// stopSignals stop `azchat ask`: Ctrl+C, a kill, the terminal closing.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// RaiseSignal ends the process by signal s, as if the command had not
// caught it: the default action is restored and s sent again. It returns
// where that does not end the process (the caller then exits with
// signalExit's code).
func RaiseSignal(s os.Signal) {
	signal.Reset(s)
	if p, err := os.FindProcess(os.Getpid()); err == nil {
		_ = p.Signal(s)
		time.Sleep(100 * time.Millisecond) // the signal is delivered
	}
}

// signalExit is the exit code a shell expects of a command a signal
// stopped: 128 and the signal's number (130 for Ctrl+C).
func signalExit(s os.Signal) (int, bool) {
	if n, ok := s.(syscall.Signal); ok {
		return 128 + int(n), true
	}
	return 0, false
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// visibleControls shows the control characters of text a model or a file
// wrote as symbols, for a terminal: written as they are, escape sequences
// would run (set the window title, write the clipboard with OSC 52,
// rewrite what is on screen), a carriage return would let the rest of a
// line overwrite what it follows, and the bidirectional overrides and
// isolates reorder what is read (code that shows as one thing and is
// another). Tabs and line breaks stay; a carriage return before a line
// break, or ending the text (a stream may split the pair), is dropped.
// Text piped elsewhere is written as it is.
func visibleControls(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		switch {
		case r == '\r':
			if i+1 < len(s) && s[i+1] != '\n' {
				b.WriteRune(0x240d) // ␍
			}
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r < 0x20:
			b.WriteRune(0x2400 + r) // ␛ for ESC
		case r == 0x7f:
			b.WriteRune(0x2421) // ␡
		case r >= 0x80 && r < 0xa0, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// forTerminal is visibleControls when w is a terminal, and the text as it
// is otherwise.
func forTerminal(w io.Writer) func(string) string {
	if isTerminal(w) {
		return visibleControls
	}
	return func(s string) string { return s }
}

// interspersed parses fs's flags wherever they are among args, as most
// command lines take them (`azchat ask "summarize this" --attach
// notes.md`): Go's flag package stops at the first word that is not a
// flag, and the words after it went into the question, the file left
// unattached and its name sent. Once the text has begun only a word that
// names one of fs's flags is a flag ("-x", "--x", "--x=v"; one that takes
// a value takes the next word, whatever it is): any other word is text,
// even one starting with "-" ("what does ls -h do"); before it, an
// unknown flag is refused (a typo is not sent as the question). A dash
// and a digit ("-5 squared") is text anywhere; after "--" every word is.
// It returns the words that are not flags.
func interspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var words []string
	for i := 0; i < len(args); i++ {
		w := args[i]
		if w == "--" {
			return append(words, args[i+1:]...), nil
		}
		name, ok := flagName(w)
		if !ok || (fs.Lookup(name) == nil && len(words) > 0) {
			words = append(words, w)
			continue
		}
		n := 1
		if f := fs.Lookup(name); f != nil && !strings.Contains(w, "=") && !isBool(f) && i+1 < len(args) {
			n = 2 // its value
		}
		if err := fs.Parse(args[i : i+n]); err != nil {
			return nil, err
		}
		i += n - 1
	}
	return words, nil
}

// flagName is the name w gives a flag ("-x", "--x", "--x=v"), if it is
// shaped like one.
func flagName(w string) (string, bool) {
	name, ok := strings.CutPrefix(w, "--")
	if !ok {
		name, ok = strings.CutPrefix(w, "-")
	}
	if !ok || name == "" || !unicode.IsLetter(rune(name[0])) {
		return "", false
	}
	name, _, _ = strings.Cut(name, "=")
	return name, true
}

// isBool reports whether f takes no value (-usage rather than -usage x).
func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// parseFailed is the exit code for a flag parse error: 0 for -h/--help
// (the flag package has printed the command's flags), 2 otherwise.
func parseFailed(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	return ExitUsage
}

// checkedWriter keeps the first error writing to w, for output written in
// many calls that is checked once at the end.
type checkedWriter struct {
	w   io.Writer
	err error
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.err = err
	return n, err
}

// writeError says that output could not be written (a full disk, a closed
// stdout) and returns ExitFailed: the command did not do its job.
func writeError(stderr io.Writer, what string, err error) int {
	fmt.Fprintf(stderr, "azchat: could not write %s: %v\n", what, err)
	return ExitFailed
}
