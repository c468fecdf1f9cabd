# Helpers for the shell tests (tests/examples/startup.sh, tests/package/install.sh),
# sourced after they set $work, their scratch directory.
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_exit() {  # CODE COMMAND...: runs it, output in $work/out
  want=$1; shift
  set +e; "$@" >"$work/out" 2>&1; got=$?; set -e
  [ "$got" = "$want" ] || { cat "$work/out" >&2; fail "exit $got, wanted $want: $*"; }
}
expect_output() { grep -q -- "$1" "$work/out" || { cat "$work/out" >&2; fail "no '$1' in the output"; }; }
