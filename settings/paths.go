package settings

import "path/filepath"

// HistoryPath is where the conversations' database lives in the app's
// folder appDir: in a folder of its own, as each of its writes in appDir
// itself would make Fyne reload and rewrite its preferences (see
// history.OpenMoving). Its folder is made at start, with StateDir's.
func HistoryPath(appDir string) string { return filepath.Join(appDir, "history", "history.db") }

// FormerHistoryPath is where azchat kept the database before, beside
// Fyne's preferences.json; history.OpenMoving moves it from there.
func FormerHistoryPath(appDir string) string { return filepath.Join(appDir, "history.db") }
