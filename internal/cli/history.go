package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/export"
	"github.com/azchat/azchat/chat/history"
)

func openHistory(env Env) (*history.Store, error) {
	if env.OpenHistory == nil {
		return nil, errors.New("no history database")
	}
	h, err := env.OpenHistory()
	if err != nil {
		return nil, err
	}
	if h.Recovered != "" {
		fmt.Fprintf(env.Stderr, "azchat: the history database was damaged; it was kept as %s and a new one started\n", h.Recovered)
	}
	if g := h.Gathered; g.Chats > 0 {
		fmt.Fprintf(env.Stderr, "azchat: added %d chat(s) that an older azchat saved in %s after the history moved\n", g.Chats, g.From)
	}
	for _, aside := range h.Gathered.SetAside {
		fmt.Fprintf(env.Stderr, "azchat: a history an older azchat saved could not be read; it was kept as %s\n", aside)
	}
	return h, nil
}

func exportCmd(args []string, env Env) int {
	fs := newFlags("export", env)
	format := fs.String("format", "md", "md, json, txt or html")
	id := fs.String("id", "", "the conversation to export")
	last := fs.Bool("last", false, "export the most recent conversation")
	all := fs.Bool("all", false, "export every conversation, one file each, into the folder -o names")
	out := fs.String("o", "", "output file (or folder with --all); stdout when empty")
	branches := fs.Bool("all-branches", false, "with --format json: every branch of each conversation (its tree), not only the one on screen")
	if err := fs.Parse(args); err != nil {
		return parseFailed(err)
	}
	f, err := export.ParseFormat(*format)
	if err != nil {
		fmt.Fprintln(env.Stderr, "azchat export:", err)
		return ExitUsage
	}
	if *branches && f != export.JSON {
		fmt.Fprintln(env.Stderr, "azchat export: --all-branches writes the tree as JSON: use it with --format json")
		return ExitUsage
	}
	// render writes one conversation: its path on screen in format f (with
	// Markdown's NAME_files), or its whole tree as JSON.
	render := func(conv *chat.Conversation, name string) ([]byte, map[string][]byte, error) {
		if *branches {
			b, err := export.RenderAllBranches(conv)
			return b, nil, err
		}
		return export.RenderFiles(conv, f, name)
	}
	n := 0
	for _, b := range []bool{*id != "", *last, *all} {
		if b {
			n++
		}
	}
	if n != 1 {
		fmt.Fprintln(env.Stderr, "azchat export: choose one of --id ID (azchat list shows the IDs), --last or --all")
		return ExitUsage
	}
	h, err := openHistory(env)
	if err != nil {
		fmt.Fprintln(env.Stderr, "azchat export: cannot open the history:", err)
		return ExitFailed
	}
	defer h.Close()

	if *all {
		dir := *out
		if dir == "" {
			dir = "azchat-export-" + time.Now().Format("20060102-150405")
		}
		list, err := h.List(0, 0)
		if err != nil {
			fmt.Fprintln(env.Stderr, "azchat export:", err)
			return ExitFailed
		}
		if len(list) == 0 {
			// No folder made for nothing.
			fmt.Fprintln(env.Stderr, "azchat export: there are no saved conversations yet")
			return ExitFailed
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			fmt.Fprintln(env.Stderr, "azchat export:", err)
			return ExitFailed
		}
		// Two chats may have the same title: never let one file replace
		// another, nor a file that was in the folder before.
		taken := map[string]bool{}
		if entries, err := os.ReadDir(dir); err == nil {
			for _, e := range entries {
				taken[strings.ToLower(e.Name())] = true
			}
		}
		unchanged := 0
		for _, s := range list {
			conv, err := h.Load(s.ID)
			if err != nil {
				fmt.Fprintf(env.Stderr, "azchat export: %s: %v\n", s.ID, err)
				return ExitFailed
			}
			// Exported here before and not changed since (under its name,
			// or a "NAME (2)" an earlier run wrote beside a file of that
			// name): a folder exported into again does not fill with copies.
			name := export.FileName(conv, f)
			same, err := exportedBefore(dir, name, f == export.JSON || *branches, func(n string) ([]byte, map[string][]byte, error) { return render(conv, n) })
			if err == nil && same {
				unchanged++
				continue
			}
			var data []byte
			var extra map[string][]byte
			if err == nil {
				name = export.UniqueName(name, taken)
				data, extra, err = render(conv, name) // Markdown links to NAME_files
			}
			if err == nil {
				err = export.WriteExport(filepath.Join(dir, name), data, extra)
			}
			if err != nil {
				fmt.Fprintf(env.Stderr, "azchat export: %s: %v\n", s.ID, err)
				return ExitFailed
			}
		}
		if unchanged > 0 {
			fmt.Fprintf(env.Stderr, "azchat: exported %d conversations to %s; %d were there already, unchanged\n", len(list)-unchanged, dir, unchanged)
			return ExitOK
		}
		fmt.Fprintf(env.Stderr, "azchat: exported %d conversations to %s\n", len(list), dir)
		return ExitOK
	}

	cid := *id
	if *last {
		if cid, err = h.LatestID(); err != nil || cid == "" {
			fmt.Fprintln(env.Stderr, "azchat export: there are no saved conversations yet")
			return ExitFailed
		}
	}
	conv, err := h.Load(cid)
	if errors.Is(err, history.ErrNotFound) {
		fmt.Fprintf(env.Stderr, "azchat export: no conversation with ID %q (azchat list shows the IDs; or azchat export --last)\n", cid)
		return ExitFailed
	}
	if err != nil {
		fmt.Fprintln(env.Stderr, "azchat export:", err)
		return ExitFailed
	}
	if *out == "" {
		// On stdout there is no folder beside the file: Markdown notes
		// each image instead of linking it.
		data, err := export.Render(conv, f)
		if *branches {
			data, err = export.RenderAllBranches(conv)
		}
		if err != nil {
			fmt.Fprintln(env.Stderr, "azchat export:", err)
			return ExitFailed
		}
		if _, err := io.WriteString(env.Stdout, forTerminal(env.Stdout)(string(data))); err != nil {
			return writeError(env.Stderr, "the export", err)
		}
		return ExitOK
	}
	if dir := filepath.Dir(*out); !isDir(dir) {
		fmt.Fprintf(env.Stderr, "azchat export: the folder %s does not exist: make it first, or give -o a path in a folder that does\n", printable(dir))
		return ExitFailed
	}
	data, extra, err := render(conv, *out)
	if err == nil {
		err = export.WriteExport(*out, data, extra)
	}
	if err != nil {
		fmt.Fprintln(env.Stderr, "azchat export:", err)
		return ExitFailed
	}
	return ExitOK
}

func importCmd(args []string, env Env) int {
	const how = "azchat import FILE|-: add a JSON export or a JSON array of {role, content} (- reads stdin) as a new chat; an export of a chat the history has is not added again"
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help") {
		fmt.Fprintln(env.Stdout, how)
		return ExitOK
	}
	if len(args) != 1 {
		fmt.Fprintln(env.Stderr, "azchat import: give one FILE (an azchat JSON export or a JSON array of {role, content}), or - for stdin")
		return ExitUsage
	}
	var conv *chat.Conversation
	var err error
	if args[0] == "-" {
		conv, err = export.ParseReader(env.Stdin)
	} else {
		conv, err = export.ParseFile(args[0])
	}
	if errors.Is(err, export.ErrTooLarge) {
		fmt.Fprintln(env.Stderr, "azchat import:", err)
		return ExitFailed
	}
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		fmt.Fprintf(env.Stderr, "azchat import: cannot read %s: %v\n", printable(args[0]), pe.Err)
		return ExitFailed
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "azchat import: %s: %s\n", printable(args[0]), printable(err.Error()))
		return ExitFailed
	}
	h, err := openHistory(env)
	if err != nil {
		fmt.Fprintln(env.Stderr, "azchat import: cannot open the history:", err)
		return ExitFailed
	}
	defer h.Close()
	got, err := h.Import(conv)
	if err != nil {
		fmt.Fprintln(env.Stderr, "azchat import:", err)
		return ExitFailed
	}
	if got.Already {
		// Not an error: what the file holds is in the history.
		_, err = fmt.Fprintf(env.Stdout, "already in the history as conversation %s: nothing imported\n", got.ID)
	} else {
		// Every version of every message, as azchat list counts them.
		_, err = fmt.Fprintf(env.Stdout, "imported %d messages as conversation %s\n", len(conv.All()), got.ID)
	}
	if err != nil {
		return writeError(env.Stderr, "the conversation's ID (the file is in the history)", err)
	}
	return ExitOK
}

// isDir reports whether path is a folder (following a link).
func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// exportedBefore reports whether dir holds the export render gives, under
// name or as one of the "NAME (2)", "NAME (3)"… written beside a file of
// that name, as far as such files go.
func exportedBefore(dir, name string, isJSON bool, render func(name string) ([]byte, map[string][]byte, error)) (bool, error) {
	ext := filepath.Ext(name)
	base := strings.TrimSuffix(name, ext)
	for n := 1; ; n++ {
		candidate := name
		if n > 1 {
			candidate = fmt.Sprintf("%s (%d)%s", base, n, ext)
		}
		if _, err := os.Lstat(filepath.Join(dir, candidate)); err != nil {
			return false, nil // no more of them
		}
		data, extra, err := render(candidate)
		if err != nil {
			return false, err
		}
		if sameExport(filepath.Join(dir, candidate), data, extra, isJSON) {
			return true, nil
		}
	}
}

// sameExport reports whether path holds data already (a JSON export but
// for when it was made), with the extra files (a Markdown export's
// images, named relative to path's folder) as they would be written.
func sameExport(path string, data []byte, extra map[string][]byte, isJSON bool) bool {
	old, err := os.ReadFile(path)
	if err != nil || !(bytes.Equal(old, data) || isJSON && export.SameJSON(old, data)) {
		return false
	}
	for rel, b := range extra {
		old, err := os.ReadFile(filepath.Join(filepath.Dir(path), rel))
		if err != nil || !bytes.Equal(old, b) {
			return false
		}
	}
	return true
}
