#!/usr/bin/env bash
# Runs every check and test: gofmt, go vet, staticcheck, then go test -race
# inside a private D-Bus session with an unlocked gnome-keyring, so the
# keychain tests use the real Secret Service. The end-to-end test starts its
# own Xvfb. Nothing here touches the network beyond 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

export TAGS="${TAGS:-migrated_fynedo}"
export LANG="${LANG:-C.UTF-8}"

echo "== gofmt"
bad=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$bad" ]; then echo "gofmt would change: $bad"; exit 1; fi

# Vet and staticcheck use Fyne's software driver (-tags ci), which keeps the
# GL/GLFW C code from being compiled for them. The tests keep the real driver:
# the keychain and end-to-end tests need Fyne's file-backed preferences.
UNIT_TAGS="ci $TAGS"

echo "== go vet"
go vet -tags "$UNIT_TAGS" ./...

echo "== staticcheck"
go tool staticcheck -tags "$UNIT_TAGS" ./...

echo "== build"
go build -tags "$TAGS" -o bin/azchat .
go build -o bin/fakeazure ./internal/fakeazure/cmd/fakeazure
export AZCHAT_BIN="$PWD/bin/azchat"

# gnome-keyring keeps its files under XDG_DATA_HOME: a throw-away one, so a
# developer's own login keyring is never touched.
keyhome=$(mktemp -d)
trap 'rm -rf "$keyhome"' EXIT

echo "== go test -race"
env -u DISPLAY XDG_DATA_HOME="$keyhome" AZCHAT_REQUIRE_KEYCHAIN=1 AZCHAT_REQUIRE_E2E=1 \
  dbus-run-session -- sh -c '
    echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    go test -race -tags "$TAGS" -timeout 20m ./...
  '

# Fuzzing instruments every package; -tags ci swaps in Fyne's software
# driver so the GL/GLFW C code is not rebuilt for it.
echo "== fuzz (short)"
go test -tags "ci $TAGS" -run '^$' -fuzz FuzzNormalizeEndpoint -fuzztime 10s ./settings/
go test -tags "ci $TAGS" -run '^$' -fuzz FuzzParseBlocks -fuzztime 10s ./app/
go test -tags "ci $TAGS" -run '^$' -fuzz FuzzCount -fuzztime 10s ./chat/tokens/
go test -tags "ci $TAGS" -run '^$' -fuzz FuzzParse -fuzztime 10s ./chat/export/
