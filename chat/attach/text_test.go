package attach

import (
	"strings"
	"testing"

	"github.com/azchat/azchat/chat"
)

func TestReadText(t *testing.T) {
	src := "package main\n\nfunc main() { println(\"héllo, 世界\") }\n"
	a, err := Read(writeFile(t, "main.go", []byte(src)), chat.DetailHigh)
	if err != nil {
		t.Fatal(err)
	}
	if a.Kind != chat.TextAttachment || a.Name != "main.go" || a.Text != src || a.Lang != "go" ||
		a.MIME != "" || a.Data != nil || a.Detail != "" {
		t.Fatalf("got %+v", a)
	}
}

func TestTextBOMStripped(t *testing.T) {
	a, err := FromBytes("notes.md", []byte("\xef\xbb\xbf# Title\r\n"), "")
	if err != nil || a.Text != "# Title\r\n" || a.Lang != "markdown" {
		t.Fatalf("got %+v, %v", a, err)
	}
}

func TestTextNotUTF8(t *testing.T) {
	data := []byte(strings.Repeat("x", 1234) + "caf\xe9\n")
	_, err := FromBytes("notes.txt", data, "")
	asError(t, err, ReasonNotUTF8)
	if want := "notes.txt is not UTF-8 text (byte 1,238) — save it as UTF-8 and attach it again"; err.Error() != want {
		t.Fatalf("got %q", err)
	}
	// Counted from 1, as editors count (the 1,238th byte above), and
	// with the BOM: it is where the byte is in the file.
	_, err = FromBytes("bom.txt", []byte("\xef\xbb\xbfab\xff"), "")
	if !strings.Contains(err.Error(), "(byte 6)") {
		t.Fatalf("got %q", err)
	}
	// UTF-16 is named as such rather than called binary.
	_, err = FromBytes("win.txt", []byte("\xff\xfeh\x00i\x00"), "")
	asError(t, err, ReasonNotUTF8)
	if !strings.Contains(err.Error(), "UTF-16") {
		t.Fatalf("got %q", err)
	}
}

func TestTextBinary(t *testing.T) {
	_, err := FromBytes("data.bin", []byte("abc\x00def"), "")
	asError(t, err, ReasonBinary)
	if want := "data.bin is not a text file (it holds binary data) — attach UTF-8 text files or images"; err.Error() != want {
		t.Fatalf("got %q", err)
	}
	_, err = FromBytes("ctl.dat", []byte("a\x01\x02\x03\x04b"), "")
	asError(t, err, ReasonBinary)
	// A few control characters (colours in a log) are still text.
	log := strings.Repeat("\x1b[32mok\x1b[0m line of output\n", 50)
	a, err := FromBytes("build.log", []byte(log), "")
	if err != nil || a.Text != log || a.Lang != "" {
		t.Fatalf("got %v", err)
	}
	// Tabs, form feeds and CRLF are text.
	if _, err := FromBytes("t.c", []byte("int\tx;\f\r\n"), ""); err != nil {
		t.Fatal(err)
	}
}

func TestSVGIsText(t *testing.T) {
	svg := `<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>`
	a, err := FromBytes("icon.svg", []byte(svg), "")
	if err != nil || a.Kind != chat.TextAttachment || a.Lang != "xml" {
		t.Fatalf("got %+v, %v", a, err)
	}
}

func TestLang(t *testing.T) {
	for name, want := range map[string]string{
		"main.go": "go", "a.py": "python", "a.js": "javascript", "a.ts": "typescript",
		"a.json": "json", "a.yaml": "yaml", "a.yml": "yaml", "README.md": "markdown",
		"a.csv": "csv", "run.sh": "bash", "lib.rs": "rust", "A.java": "java",
		"a.c": "c", "a.h": "c", "a.cpp": "cpp", "a.cc": "cpp", "a.hpp": "cpp",
		"a.cs": "csharp", "a.rb": "ruby", "a.php": "php", "a.html": "html",
		"a.css": "css", "q.sql": "sql", "a.xml": "xml", "Cargo.toml": "toml",
		"a.kt": "kotlin", "a.swift": "swift", "a.txt": "", "noext": "",
		"Dockerfile": "dockerfile", "dockerfile.dev": "dockerfile",
		"Makefile": "makefile", "MAIN.GO": "go", "/some/dir/x.py": "python",
		"archive.tar.gz": "",
	} {
		if got := Lang(name); got != want {
			t.Errorf("Lang(%q) = %q, want %q", name, got, want)
		}
	}
}
