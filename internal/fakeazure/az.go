package fakeazure

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// InstallAz puts an `az` on PATH that serves azidentity's
// AzureCLICredential offline with token (Entra ID's sign-in cannot run
// here), or fails as a signed-out CLI does; it appends its arguments to
// the returned file, one call a line. Only the CLI credential may answer:
// every other credential of the chain would reach the network.
func InstallAz(t testing.TB, token string, fail bool) string {
	t.Helper()
	dir := t.TempDir()
	exp := time.Now().Add(time.Hour)
	calls := filepath.Join(dir, "calls")
	script := "#!/bin/sh\necho \"$*\" >> " + calls + "\n"
	if fail {
		script += "echo 'ERROR: Please run az login to setup account.' >&2\nexit 1\n"
	} else {
		script += "cat <<JSON\n{\"accessToken\":\"" + token + "\",\"expiresOn\":\"" + exp.Format("2006-01-02 15:04:05.000000") +
			"\",\"expires_on\":" + strconv.FormatInt(exp.Unix(), 10) + ",\"subscription\":\"00000000-0000-0000-0000-000000000000\",\"tenant\":\"00000000-0000-0000-0000-000000000000\",\"tokenType\":\"Bearer\"}\nJSON\n"
	}
	if err := os.WriteFile(filepath.Join(dir, "az"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("AZURE_TOKEN_CREDENTIALS", "AzureCLICredential")
	return calls
}
