#!/bin/sh
# The start-up example against the installed package: `cmake --install`
# into a temporary prefix, build examples/startup with find_package(mig),
# run it on SQLite (from a directory and with embedded revisions), build a
# program with pkg-config, then start four copies at once against one
# PostgreSQL database: all four must start, and each revision be applied once.
#   startup.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1
src=$2
work=$(mktemp -d /tmp/mig-startup.XXXXXX)
pg_db=""
cleanup() {
  [ -n "$pg_db" ] && psql -X -q -d "$admin" -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

. "$src/tests/shell_support.sh"

cmake --install "$build" --prefix "$work/prefix" >/dev/null
for f in bin/mig include/mig/project.h lib/libmig.so lib/libmig.a lib/mig/mig_postgresql.so \
         lib/mig/mig_mysql.so lib/cmake/mig/migConfig.cmake lib/pkgconfig/mig.pc; do
  [ -e "$work/prefix/$f" ] || fail "the install has no $f"
done
cmake -S "$src/examples/startup" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" -j2 >/dev/null

cd "$src/examples/startup"
db="sqlite:///$work/app.db"
expect_exit 3 "$work/build/startup" --check-only "$db" migrations
expect_output "3 revision(s) pending"
expect_output "refusing to start"
[ ! -e "$work/app.db" ] || [ "$(sqlite3 "$work/app.db" "SELECT count(*) FROM sqlite_master")" = 0 ] ||
  fail "--check-only changed the database"
expect_exit 0 "$work/build/startup" "$db" migrations
expect_output "upgrade st0003welcome"
expect_output "3 revision(s) applied; serving"
expect_exit 0 "$work/build/startup" --check-only "$db" migrations
expect_output "schema up to date"
[ "$(sqlite3 "$work/app.db" 'SELECT count(*) FROM mig_revisions')" = 3 ] || fail "not 3 revisions recorded"
expect_exit 0 "$work/build/startup_embedded" "sqlite:///$work/embedded.db"
expect_output "3 revision(s) applied; serving"
[ "$(sqlite3 "$work/embedded.db" 'SELECT body FROM note')" = welcome ] || fail "embedded revisions did not run"

# A revision that fails: the service refuses to start and says why.
mkdir -p "$work/bad"
cp migrations/*.sql "$work/bad/"
printf -- '-- mig:revision st0004broken\n-- mig:parent st0003welcome\n-- mig:upgrade\nINSERT INTO nowhere VALUES (1);\n' >"$work/bad/0004.sql"
expect_exit 1 "$work/build/startup" "sqlite:///$work/bad.db" "$work/bad"
expect_output "refusing to start: revision st0004broken failed at statement 1"

# pkg-config gives what a Makefile needs.
printf '#include <mig/project.h>\nint main() {\n  mig::Settings s;\n  s.url = mig::parse_url("sqlite::memory:", "x");\n  mig::Project p(s, {});\n  return p.status().up_to_date() ? 0 : 1;\n}\n' >"$work/pc.cpp"
flags=$(PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" pkg-config --cflags --libs mig)
# shellcheck disable=SC2086
c++ -std=c++17 "$work/pc.cpp" -o "$work/pc" $flags -Wl,-rpath,"$work/prefix/lib"
expect_exit 0 "$work/pc"

# Four copies of the service start at once against one PostgreSQL database.
admin=${MIG_TEST_PG_URL:-$(sed -n 's/^MIG_TEST_PG_URL=//p' "$build/test-servers/urls.env")}
[ -n "$admin" ] || fail "no PostgreSQL server (MIG_TEST_PG_URL or test-servers/urls.env)"
pg_db="mig_startup_$$"
psql -X -q -d "$admin" -c "CREATE DATABASE $pg_db" >/dev/null
url=$(printf '%s' "$admin" | sed "s|/postgres\$|/$pg_db|")
for i in 1 2 3 4; do
  "$work/build/startup_embedded" "$url" >"$work/copy$i" 2>&1 &
  eval "pid$i=\$!"
done
for i in 1 2 3 4; do
  eval "pid=\$pid$i"
  wait "$pid" || { cat "$work/copy$i" >&2; fail "copy $i did not start"; }
  grep -q "serving" "$work/copy$i" || { cat "$work/copy$i" >&2; fail "copy $i is not serving"; }
done
counts=$(psql -X -qAt -d "$url" -c "SELECT count(*) || ' ' || count(DISTINCT revision) FROM mig_revisions")
[ "$counts" = "3 3" ] || fail "mig_revisions holds $counts, not each of 3 revisions once"
applied=$(psql -X -qAt -d "$url" -c "SELECT count(*) FROM mig_log WHERE action = 'upgrade' AND outcome = 'ok'")
[ "$applied" = 3 ] || fail "$applied upgrades logged, not 3"
total=$(cat "$work"/copy* | grep -c "^startup: upgrade st")
[ "$total" = 3 ] || fail "the four copies applied $total revisions between them, not 3"
echo "startup example: ok"
