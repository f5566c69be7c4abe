package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
)

// stopSignals stop `azchat ask`: Ctrl+C, a kill, the terminal closing.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

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
// rewrite what is on screen). Tabs and line breaks stay. Text piped
// elsewhere is written as it is.
func visibleControls(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t' || r == '\r':
			return r
		case r < 0x20:
			return 0x2400 + r // ␛ for ESC
		case r == 0x7f:
			return 0x2421 // ␡
		case r >= 0x80 && r < 0xa0:
			return '\uFFFD'
		}
		return r
	}, s)
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
// unattached and its name sent. A word that starts with "-" but names
// none of fs's flags is text ("what is -5 squared"); after "--" every
// word is text. It returns the words that are not flags.
func interspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var words []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(words, rest...), nil
		}
		for len(rest) > 0 && !isFlag(fs, rest[0]) {
			if rest[0] == "--" {
				return append(words, rest[1:]...), nil
			}
			words = append(words, rest[0])
			rest = rest[1:]
		}
		if len(rest) == 0 {
			return words, nil
		}
		args = rest
	}
}

// isFlag reports whether w names one of fs's flags ("-x", "--x", "--x=v").
func isFlag(fs *flag.FlagSet, w string) bool {
	name, ok := strings.CutPrefix(w, "--")
	if !ok {
		name, ok = strings.CutPrefix(w, "-")
	}
	if !ok || name == "" || name[0] == '-' {
		return false
	}
	name, _, _ = strings.Cut(name, "=")
	return fs.Lookup(name) != nil || name == "h" || name == "help"
}

// parseFailed is the exit code for a flag parse error: 0 for -h/--help
// (the flag package has printed the command's flags), 2 otherwise.
func parseFailed(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	return ExitUsage
}

// writeError says that output could not be written (a full disk, a closed
// stdout) and returns ExitFailed: the command did not do its job.
func writeError(stderr io.Writer, what string, err error) int {
	fmt.Fprintf(stderr, "azchat: could not write %s: %v\n", what, err)
	return ExitFailed
}
