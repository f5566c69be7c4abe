#!/usr/bin/env bash
# Runs every check and test: gofmt, go vet, staticcheck, then go test -race
# inside a private D-Bus session with an unlocked gnome-keyring, so the
# keychain tests use the real Secret Service. The end-to-end tests drive the
# real binary in their own Xvfb. Nothing here touches the network beyond
# 127.0.0.1.
#
#   scripts/test.sh          everything (make test)
#   scripts/test.sh quick    unit tests only: no real window, no race build
#                            of the binary (make test-quick, the edit–test loop)
#
# Fuzz targets run their seed corpus as ordinary tests here; open-ended
# fuzzing is `make fuzz` (a wall-clock -fuzztime can fail on Go 1.26 with a
# bare "context deadline exceeded", golang/go#75804, so it is kept out of
# the test run).
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-full}"
export TAGS="${TAGS:-migrated_fynedo}"
export LANG="${LANG:-C.UTF-8}"
start=$(date +%s)
stage() { echo "== $1 ($(( $(date +%s) - start )) s)"; }

stage gofmt
bad=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$bad" ]; then echo "gofmt would change: $bad"; exit 1; fi

# Everything but the real binary uses Fyne's software driver (-tags ci):
# the UI tests run on Fyne's test driver anyway, and this keeps the GL/GLFW
# C code from being compiled again for vet, staticcheck and the race build.
UNIT_TAGS="ci $TAGS"

stage "go vet"
go vet -tags "$UNIT_TAGS" ./...

stage staticcheck
go tool staticcheck -tags "$UNIT_TAGS" ./...

# The file locks and the packages using them have Windows code of their own
# (LockFileEx): compiled here too, where nothing else builds it.
stage "go vet (windows: locks)"
GOOS=windows go vet ./internal/filelock ./chat/history
GOOS=windows go build ./settings

# gnome-keyring keeps its files under XDG_DATA_HOME: a throw-away one, so a
# developer's own login keyring is never touched.
keyhome=$(mktemp -d)
trap 'rm -rf "$keyhome"' EXIT

# The full-disk tests mount a small tmpfs. Where this machine allows it
# (root with CAP_SYS_ADMIN), they must run rather than skip.
probe=$(mktemp -d)
if mount -t tmpfs -o size=64k tmpfs "$probe" 2>/dev/null; then
  umount "$probe"
  export AZCHAT_REQUIRE_TMPFS=1
else
  echo "(no tmpfs mounts here: the full-disk tests will skip)"
fi
rmdir "$probe"

run_tests() {
  env -u DISPLAY XDG_DATA_HOME="$keyhome" AZCHAT_REQUIRE_KEYCHAIN=1 "$@" \
    dbus-run-session -- sh -c '
      echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null
      go test -race -tags "'"$UNIT_TAGS"'" -timeout 15m '"${PKGS}"'
    '
}

if [ "$mode" = quick ]; then
  stage "go test -race (unit)"
  PKGS='$(go list ./... | grep -v /internal/e2e)' run_tests
  stage "done"
  exit 0
fi

stage "build (real driver)"
go build -tags "$TAGS" -o bin/azchat .
export AZCHAT_BIN="$PWD/bin/azchat"

stage "go test -race"
PKGS='./...' run_tests AZCHAT_REQUIRE_E2E=1
stage "done"
