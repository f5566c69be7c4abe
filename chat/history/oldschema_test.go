package history

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
)

// oldHistory writes a history file as a release at the given schema left
// it: the first schema migrations, then stmts (its rows), and returns the
// file's path. Opening it migrates it to the newest schema.
func oldHistory(t *testing.T, schema int, stmts ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "history.db")
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, m := range migrations[:schema] {
		if _, err := db.Exec(m); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range append([]string{fmt.Sprintf(`PRAGMA user_version = %d`, schema)}, stmts...) {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	return path
}
