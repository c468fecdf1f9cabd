#!/bin/sh
# The Debian packages as a user gets them: lintian finds no error, the
# dependencies come from dpkg-shlibdeps, and the files unpacked into a scratch
# root (dpkg -x) give a mig that runs on SQLite, PostgreSQL and MariaDB, man
# pages for every command that match its --help, completions for bash, zsh and
# fish, and the file system the Dockerfile describes, run as its user.
#   install.sh BUILD_DIR SOURCE_DIR DEB_DIR
set -eu
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
debs=$(cd "$3" && pwd)
work=$(mktemp -d /tmp/mig-package.XXXXXX)
chmod 755 "$work"
pg_db=""
my_db=""
cleanup() {
  [ -n "$pg_db" ] && psql -X -q -d "$pg_admin" -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true
  [ -n "$my_db" ] && mariadb_admin -e "DROP DATABASE IF EXISTS $my_db" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

. "$src/tests/shell_support.sh"

# The Dockerfile's user is emulated with setpriv, which needs root (as do
# the test servers, run as the postgres and mysql users).
[ "$(id -u)" = 0 ] || fail "run as root: the image's user is emulated with setpriv"
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
set -- "$debs"/mig_*.deb
[ -f "$1" ] || fail "no mig_*.deb in $debs"
mig_deb=$1
for p in libmig0 libmig-dev; do
  set -- "$debs"/${p}_*.deb
  [ -f "$1" ] || fail "no ${p}_*.deb in $debs"
done

# ---- the packages ----
lintian --fail-on error "$debs"/*.deb >"$work/lintian" 2>&1 || { cat "$work/lintian" >&2; fail "lintian"; }
depends=$(dpkg-deb -f "$mig_deb" Depends)
for lib in libpq5 libmariadb3 libsqlite3-0 libsoci-postgresql4.0 libsoci-mysql4.0 libsoci-sqlite3-4.0; do
  printf '%s' "$depends" | grep -q "$lib (" || fail "mig's Depends lack $lib: $depends"
done
dpkg-deb -e "$debs"/libmig0_*.deb "$work/control"
grep -q "^libmig 0 libmig0 " "$work/control/shlibs" || fail "libmig0 has no shlibs entry"
grep -q "ldconfig" "$work/control/triggers" || fail "libmig0 has no ldconfig trigger"
# What `apt install ./mig_*.deb` would do here: every dependency resolvable.
expect_exit 0 apt-get install -s "$mig_deb"
expect_output "Inst mig "

root=$work/root
for d in "$debs"/*.deb; do dpkg -x "$d" "$root"; done
mig=$root/usr/bin/mig
moddir=$root/usr/lib/$multiarch/mig
for f in usr/bin/mig usr/lib/$multiarch/mig/mig_postgresql.so usr/lib/$multiarch/mig/mig_mysql.so \
         usr/lib/$multiarch/libmig.so.0 usr/include/mig/project.h usr/lib/$multiarch/pkgconfig/mig.pc \
         usr/lib/$multiarch/cmake/mig/migConfig.cmake usr/share/man/man1/mig.1.gz \
         usr/share/bash-completion/completions/mig usr/share/zsh/vendor-completions/_mig \
         usr/share/fish/vendor_completions.d/mig.fish usr/share/doc/mig/copyright; do
  [ -e "$root/$f" ] || fail "the packages have no /$f"
done
for f in "$mig" "$moddir"/*.so; do
  ! ldd "$f" | grep -q "not found" || { ldd "$f" >&2; fail "$f: a library is missing"; }
done

# ---- --version ----
expect_exit 0 "$mig" --version
version_line=$(cat "$work/out")
expect_exit 0 "$mig" --version --json
python3 - "$work/out" "$moddir" "$version_line" <<'EOF' || fail "--version --json"
import json, os, re, sys
v = json.load(open(sys.argv[1]))
moddir, line = sys.argv[2], sys.argv[3]
assert v["backends"] == ["sqlite", "postgresql", "mysql"], v
for name in ("postgresql", "mysql"):
    assert v["modules"][name] == os.path.join(moddir, "mig_%s.so" % name), v["modules"]
assert re.fullmatch(r"3\.\d+\.\d+", v["sqlite"]), v["sqlite"]
want = "mig %s (commit %s%s)" % (v["version"], v["commit"], "-dirty" if v["dirty"] else "")
assert line == want, (line, want)
EOF
if git -C "$src" rev-parse --short=12 HEAD >"$work/head" 2>/dev/null; then
  printf '%s' "$version_line" | grep -q "(commit $(cat "$work/head")" ||
    fail "--version says '$version_line', HEAD is $(cat "$work/head")"
fi

# ---- a project on the three databases ----
proj=$work/project
mkdir -p "$proj/migrations"
printf -- '-- mig:revision pk0001note\n-- mig:upgrade\nCREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT);\n-- mig:downgrade\nDROP TABLE note;\n' \
  >"$proj/migrations/0001_note.sql"
printf -- '-- mig:revision pk0002first\n-- mig:parent pk0001note\n-- mig:kind data\n-- mig:upgrade\nINSERT INTO note (id, body) VALUES (1, '"'"'first'"'"');\n-- mig:downgrade\nDELETE FROM note WHERE id = 1;\n' \
  >"$proj/migrations/0002_first.sql"
cd "$proj"
expect_exit 0 "$mig" --url "sqlite:///$work/app.db" upgrade head
[ "$(sqlite3 "$work/app.db" 'SELECT body FROM note')" = first ] || fail "SQLite: the revisions did not run"
expect_exit 0 "$mig" --url "sqlite:///$work/app.db" status
expect_output "up to date"
expect_exit 0 "$mig" --url "sqlite:///$work/app.db" downgrade base
[ "$(sqlite3 "$work/app.db" "SELECT count(*) FROM sqlite_master WHERE name = 'note'")" = 0 ] ||
  fail "SQLite: downgrade base left the table"

servers=$build/test-servers/urls.env
pg_admin=${MIG_TEST_PG_URL:-$(sed -n 's/^MIG_TEST_PG_URL=//p' "$servers" 2>/dev/null || true)}
my_admin=${MIG_TEST_MYSQL_URL:-$(sed -n 's/^MIG_TEST_MYSQL_URL=//p' "$servers" 2>/dev/null || true)}
[ -n "$pg_admin" ] && [ -n "$my_admin" ] || fail "no test servers (MIG_TEST_*_URL or $servers)"
pg_db="mig_package_$$"
psql -X -q -d "$pg_admin" -c "CREATE DATABASE $pg_db" >/dev/null
pg_url=$(printf '%s' "$pg_admin" | sed "s|/[^/?]*\$|/$pg_db|")
[ "$pg_url" != "$pg_admin" ] || fail "cannot name a database in $pg_admin"
expect_exit 0 "$mig" --url "$pg_url" upgrade head
[ "$(psql -X -A -t -d "$pg_url" -c 'SELECT body FROM note')" = first ] || fail "PostgreSQL: the revisions did not run"

# mysql://USER:PASSWORD@%2Fpath%2Fto%2Fsocket/DATABASE
my_user=$(printf '%s' "$my_admin" | sed 's|^mysql://\([^:]*\):.*|\1|')
my_pass=$(printf '%s' "$my_admin" | sed 's|^mysql://[^:]*:\([^@]*\)@.*|\1|')
my_sock=$(printf '%s' "$my_admin" | sed 's|.*@\([^/]*\)/.*|\1|; s|%2F|/|g')
case "$my_sock" in /*) ;; *) fail "the MariaDB admin URL is not on a unix socket: only those are supported here" ;; esac
mariadb_admin() { MYSQL_PWD=$my_pass mariadb -u "$my_user" -S "$my_sock" -N -B "$@"; }
my_db="mig_package_$$"
mariadb_admin -e "CREATE DATABASE $my_db"
my_url=$(printf '%s' "$my_admin" | sed "s|/[^/]*\$|/$my_db|")
[ "$my_url" != "$my_admin" ] || fail "cannot name a database in the MariaDB admin URL"
expect_exit 0 "$mig" --url "$my_url" upgrade head
[ "$(mariadb_admin -D "$my_db" -e 'SELECT body FROM note')" = first ] || fail "MariaDB: the revisions did not run"
expect_exit 0 "$mig" --url "$my_url" current
expect_output "pk0002first"

# ---- man pages: one per command, clean roff, the same options as --help ----
"$mig" --help >"$work/help"
commands=$(sed -n '/^Subcommands:/,$p' "$work/help" | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p')
[ "$(printf '%s\n' "$commands" | wc -l)" -ge 20 ] || fail "too few commands in --help: $commands"
man1=$root/usr/share/man/man1
render() { zcat "$1" | groff -man -Tascii -P-cbu -rLL=300n -rHY=0 2>/dev/null; }
for page in "$man1"/*.1.gz; do
  warnings=$(zcat "$page" | groff -man -ww -z 2>&1)
  [ -z "$warnings" ] || fail "$page: groff says: $warnings"
done
render "$man1/mig.1.gz" >"$work/page"
for c in $commands; do
  page=$man1/mig-$c.1.gz
  [ -f "$page" ] || fail "no man page for mig $c"
  description=$(sed -n "s/^  $c  *//p" "$work/help")
  grep -qF "mig-$c(1)" "$work/page" || fail "mig(1) does not refer to mig-$c(1)"
  # "NAME  description" on one line, or NAME alone with the description next.
  awk -v c="$c" -v d="$description" 'function squeeze(t) { gsub(/^ +| +$/, "", t); gsub(/ +/, " ", t); return t }
    BEGIN { d = squeeze(d) } { line = squeeze($0) } line == c " " d || (prev == c && line == d) { ok = 1 }
    { prev = line } END { exit !ok }' "$work/page" || fail "mig(1) does not list $c with '$description'"
  render "$page" >"$work/cpage"
  grep -qF -- "mig-$c - $description" "$work/cpage" || fail "mig-$c(1) NAME is not '$description'"
  "$mig" "$c" --help >"$work/chelp"
  for opt in $(grep -o -- '--[a-z][a-z-]*' "$work/chelp" | sort -u); do
    grep -qF -- "$opt" "$work/cpage" || fail "mig-$c(1) lacks $opt, which mig $c --help shows"
  done
done
expect_exit 0 env MANPATH="$root/usr/share/man" man -w mig-upgrade
expect_output "$man1/mig-upgrade.1.gz"

# ---- completions, in a project with a branch label ----
cd "$proj"
printf -- '-- mig:revision pk0003side\n-- mig:branch side\n-- mig:upgrade\nSELECT 1;\n-- mig:downgrade\nSELECT 1;\n' \
  >"$proj/migrations/0003_side.sql"
"$mig" __complete targets >"$work/targets"
for t in head base pk0001note pk0002first pk0003side side@head; do
  grep -qx -- "$t" "$work/targets" || { cat "$work/targets" >&2; fail "__complete targets lacks $t"; }
done
bash_complete() {  # WORDS...: the last one is the word being completed
  PATH="$root/usr/bin:$PATH" bash -c '
    . "$0"
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _mig
    printf "%s\n" "${COMPREPLY[@]}"' "$root/usr/share/bash-completion/completions/mig" "$@"
}
bash_complete mig up >"$work/c"; grep -qx upgrade "$work/c" || fail "bash: 'mig up' gives $(cat "$work/c")"
bash_complete mig upgrade "" >"$work/c"; grep -qx pk0003side "$work/c" || fail "bash: no revision ids after upgrade"
grep -qx side@head "$work/c" || fail "bash: no branch label after upgrade"
bash_complete mig downgrade --d >"$work/c"; grep -qx -- --dry-run "$work/c" || fail "bash: no --dry-run"
bash_complete mig --on-error "" >"$work/c"; [ "$(sort "$work/c" | tr '\n' ' ')" = "continue stop " ] ||
  fail "bash: --on-error gives $(cat "$work/c")"
# --config names another project: its revisions are the ones offered.
mkdir -p "$proj/other"
printf '[paths]\nmigrations = "other"\n' >"$proj/other.toml"
printf -- '-- mig:revision zz0001other\n-- mig:upgrade\nSELECT 1;\n' >"$proj/other/0001.sql"
bash_complete mig --config other.toml stamp "" >"$work/c"
grep -qx zz0001other "$work/c" && ! grep -qx pk0001note "$work/c" || fail "bash: --config other.toml gives $(cat "$work/c")"
bash_complete mig --config = other.toml stamp "" >"$work/c"
grep -qx zz0001other "$work/c" || fail "bash: --config=other.toml gives $(cat "$work/c")"
bash_complete mig --on-error = "" >"$work/c"; grep -qx stop "$work/c" || fail "bash: --on-error= gives $(cat "$work/c")"
fish_complete() { PATH="$root/usr/bin:$PATH" fish --no-config -c "source $root/usr/share/fish/vendor_completions.d/mig.fish; complete -C '$1'" | cut -f1; }
fish_complete 'mig up' >"$work/c"; grep -qx upgrade "$work/c" || fail "fish: 'mig up' gives $(cat "$work/c")"
fish_complete 'mig upgrade ' >"$work/c"; grep -qx pk0002first "$work/c" || fail "fish: no revision ids after upgrade"
fish_complete 'mig upgrade --dr' >"$work/c"; grep -qx -- --dry-run "$work/c" || fail "fish: no --dry-run for upgrade"
fish_complete 'mig --on-error ' >"$work/c"; grep -qx continue "$work/c" || fail "fish: --on-error gives $(cat "$work/c")"
fish_complete 'mig --config=other.toml stamp ' >"$work/c"
grep -qx zz0001other "$work/c" && ! grep -qx pk0001note "$work/c" || fail "fish: --config=: $(cat "$work/c")"
zsh -n "$root/usr/share/zsh/vendor-completions/_mig" || fail "zsh: _mig does not parse"
# An interactive zsh on a pseudo-terminal: compinit finds _mig, TAB offers.
zsh_complete() {
  PATH="$root/usr/bin:$PATH" timeout 90 zsh -f "$src/tests/package/zsh_complete.zsh" \
    "$root/usr/share/zsh/vendor-completions" "$work/c" "$1" || fail "zsh: no pseudo-terminal"
}
zsh_complete 'mig up'; grep -qx upgrade "$work/c" || fail "zsh: 'mig up' gives $(cat "$work/c")"
zsh_complete 'mig upgrade '; grep -qx pk0003side "$work/c" && grep -qx side@head "$work/c" ||
  fail "zsh: after upgrade: $(cat "$work/c")"
zsh_complete 'mig downgrade --dr'; grep -qx -- --dry-run "$work/c" || fail "zsh: no --dry-run"
zsh_complete 'mig --on-error '; grep -qx continue "$work/c" || fail "zsh: --on-error gives $(cat "$work/c")"
zsh_complete 'mig --config other.toml stamp '
grep -qx zz0001other "$work/c" && ! grep -qx pk0001note "$work/c" || fail "zsh: --config: $(cat "$work/c")"

# ---- the Dockerfile's file system, run as its user ----
# The run stage (after the last FROM) on Debian's slim image; the .deb it
# installs is the one the build stage's `make deb` wrote.
runtime=$(awk '/^FROM /{n++} {print n "\t" $0}' "$src/Dockerfile" | awk -F'\t' -v last="$(grep -c '^FROM ' "$src/Dockerfile")" '$1 == last {print $2}')
printf '%s\n' "$runtime" | grep -q '^FROM debian:[a-z]*-slim' || fail "Dockerfile: the run stage is not on a slim Debian"
deb_dir=$(sed -n 's/^RUN make deb DEB_DIR=\([^ ]*\)$/\1/p' "$src/Dockerfile")
printf '%s\n' "$runtime" | grep -q "^COPY --from=build $deb_dir/mig_\*\.deb " || fail "Dockerfile: the .deb installed is not the one built"
printf '%s\n' "$runtime" | grep -q 'apt-get install .*/tmp/mig_\*\.deb' || fail "Dockerfile: the .deb is not installed with apt"
user=$(printf '%s\n' "$runtime" | sed -n 's/^USER //p')
useradd=$(printf '%s\n' "$runtime" | grep 'useradd ' | sed 's/[ \\]*$//')
[ "${useradd##* }" = "$user" ] || fail "Dockerfile: USER $user is not the user useradd makes ($useradd)"
uid=$(printf '%s' "$useradd" | sed -n 's/.*--uid \([0-9]*\).*/\1/p')
workdir=$(printf '%s\n' "$runtime" | sed -n 's/^WORKDIR //p')
entry=$(printf '%s\n' "$runtime" | sed -n 's/^ENTRYPOINT //p')
[ -n "$user" ] && [ "$user" != root ] && [ -n "$uid" ] || fail "Dockerfile: no non-root USER with a uid ($user, $uid)"
[ "$workdir" = /project ] || fail "Dockerfile: WORKDIR is '$workdir', not /project"
[ "$(printf '%s' "$entry" | python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)))')" = mig ] ||
  fail "Dockerfile: ENTRYPOINT is $entry"
# /project is the mounted project, owned by the user; PATH is the image's.
image_project=$work/image-project
cp -r "$proj" "$image_project"
chown -R "$uid:$uid" "$image_project"
as_user() {
  (cd "$image_project" && setpriv --reuid="$uid" --regid="$uid" --clear-groups \
    env -i PATH="$root/usr/local/bin:$root/usr/bin:/usr/bin:/bin" HOME="$image_project" "$@")
}
expect_exit 0 as_user mig --help
expect_output "Subcommands:"
expect_exit 0 as_user mig --url sqlite:app.db upgrade heads
expect_exit 0 as_user mig --url sqlite:app.db status
expect_output "up to date"
[ "$(stat -c %u "$image_project/app.db")" = "$uid" ] || fail "the database is not the user's"
# The user cannot write outside the project.
expect_exit 1 as_user mig --url "sqlite:///$root/usr/app.db" upgrade head

# ---- make install's layout (GNUInstallDirs, DESTDIR) ----
DESTDIR=$work/destdir cmake --install "$build" --prefix /opt/mig >/dev/null
# (BUILD_DIR is configured for /usr/local: zsh's site-functions, lib/mig.)
for f in bin/mig lib/mig/mig_postgresql.so share/man/man1/mig-upgrade.1.gz \
         share/bash-completion/completions/mig share/zsh/site-functions/_mig \
         share/fish/vendor_completions.d/mig.fish; do
  [ -e "$work/destdir/opt/mig/$f" ] || fail "cmake --install with DESTDIR has no /opt/mig/$f"
done
[ ! -e "$work/destdir/opt/mig/share/doc" ] || fail "cmake --install installed the packages' share/doc"
echo "package: ok"
