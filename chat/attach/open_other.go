//go:build !unix

package attach

import "os"

// openNoWait opens path for reading (elsewhere, opening a named pipe does
// not wait for a writer).
func openNoWait(path string) (*os.File, error) { return os.Open(path) }
