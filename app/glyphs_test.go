package app

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/theme"
	"github.com/go-text/typesetting/font"
)

// Every character azchat's own words use (labels, messages, errors it
// shows; string and rune literals) is in the theme's regular and bold
// fonts (italic has the same). One that is not is
// drawn from a fallback font, and Fyne draws the space after it with that
// font too: Fyne's symbol font, where arrows come from, has no space, so
// "portal → your" showed a box after the arrow. Byte strings (written with
// \x escapes: file signatures, a byte-order mark) are not words.
func TestOwnWordsAreInTheThemesFonts(t *testing.T) {
	var faces []*font.Face
	for _, res := range [][]byte{theme.DefaultTextFont().Content(), theme.DefaultTextBoldFont().Content()} {
		f, err := font.ParseTTF(bytes.NewReader(res))
		if err != nil {
			t.Fatal(err)
		}
		faces = append(faces, f)
	}
	checked := 0
	for _, dir := range []string{".", "../chat", "../settings"} {
		err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return err
			}
			fs := token.NewFileSet()
			f, err := parser.ParseFile(fs, p, nil, 0)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || (lit.Kind != token.STRING && lit.Kind != token.CHAR) || strings.Contains(lit.Value, `\x`) {
					return true
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					return true
				}
				for _, r := range s {
					if r < 0x80 {
						continue
					}
					checked++
					for _, face := range faces {
						if _, ok := face.NominalGlyph(r); !ok {
							t.Errorf("%s: %q (%U) is not in the theme's fonts", fs.Position(lit.Pos()), r, r)
							break
						}
					}
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if checked == 0 {
		t.Fatal("no character beyond ASCII found: the test read nothing")
	}
}
