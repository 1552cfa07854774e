# shellcheck shell=bash
# Citus (issue #11, docs/dialogs.md): the distributed engine of the dialog cluster, built from source
# into the Debian PostgreSQL 15 because no package registry reachable here serves it.
#
#   source   SOCNET_CITUS_SOURCE: a citus-VERSION.tar.gz of the upstream release (default: the
#            project's shared vendor copy, checked against its .sha256 when one lies beside it);
#            never modified: it is extracted into .local/build/citus-VERSION and built there
#   install  `make install` into `pg_config --pkglibdir` / `--sharedir` (as root), once per machine;
#            skipped when citus.so of CITUS_VERSION is installed (from these sources or from Citus'
#            own packages)
#
# Build dependencies (postgresql-server-dev-15, libcurl4-openssl-dev, liblz4-dev, libzstd-dev,
# libssl-dev, libkrb5-dev, a C toolchain) come from ensure_packages (scripts/lib/common.sh), which runs
# before any server starts. make -j2 uses about 2m10s of CPU (5m37s wall on a busy 2-core machine).

CITUS_VERSION=13.2.2
SOCNET_CITUS_SOURCE=${SOCNET_CITUS_SOURCE:-$ROOT/../shared/vendor/citus-$CITUS_VERSION.tar.gz}

citus_so() { echo "$("$PGBIN/pg_config" --pkglibdir 2>/dev/null || echo /usr/lib/postgresql/15/lib)/citus.so"; }

# True when citus.so of CITUS_VERSION is installed in this PostgreSQL (its version string is compiled in:
# "Citus 13.2.2 on x86_64-pc-linux-gnu, ...").
citus_installed() {
  local so; so=$(citus_so)
  [ -f "$so" ] && grep -aq "Citus $CITUS_VERSION " "$so" \
    && [ -f "$("$PGBIN/pg_config" --sharedir 2>/dev/null)/extension/citus.control" ]
}

# Builds and installs Citus when citus.so of CITUS_VERSION is missing. Serialised by a lock (two
# ./socnet runs of one checkout); the build log is .local/logs/build-citus.log.
citus_ensure_installed() {
  citus_installed && return 0
  mkdir -p "$LOCAL/run" "$LOCAL/logs" "$LOCAL/build"
  (
    flock -w 1800 7 || die "another ./socnet holds $LOCAL/run/citus-build.lock for 30 minutes"
    citus_installed && exit 0
    citus_build_and_install
  ) 7>"$LOCAL/run/citus-build.lock"
}

citus_build_and_install() {
  local src=$SOCNET_CITUS_SOURCE
  [ -r "$src" ] || die "Citus $CITUS_VERSION is not installed and its source $src is missing: set SOCNET_CITUS_SOURCE to the upstream citus-$CITUS_VERSION.tar.gz (https://github.com/citusdata/citus/archive/refs/tags/v$CITUS_VERSION.tar.gz), or install Citus' own package of $CITUS_VERSION for PostgreSQL 15 (README.md)"
  if [ -r "$src.sha256" ]; then
    local want have
    want=$(awk '{print $1; exit}' "$src.sha256")
    have=$(sha256sum "$src" | awk '{print $1}')
    [ "$want" = "$have" ] || die "$src: sha256 $have, expected $want ($src.sha256)"
  fi
  local dir=$LOCAL/build/citus-$CITUS_VERSION log=$LOCAL/logs/build-citus.log t0=$SECONDS
  log "building Citus $CITUS_VERSION from $src into $dir (make -j2, a few minutes; log: $log)"
  rm -rf "$dir"
  mkdir -p "$LOCAL/build"
  tar -xzf "$src" -C "$LOCAL/build" || die "cannot extract $src"
  [ -x "$dir/configure" ] || die "$src does not unpack to citus-$CITUS_VERSION/ with a configure script"
  citus_patch_for_server_headers "$dir"
  (
    cd "$dir"
    # with_llvm=no: no LLVM bitcode for the JIT's inlining (PGXS builds it when the server was built
    # with LLVM); it doubles the build time and Citus' functions gain nothing from it.
    PG_CONFIG="$PGBIN/pg_config" ./configure --with-pg-config="$PGBIN/pg_config" \
      && make -j2 with_llvm=no \
      && as_root make install with_llvm=no
  ) >"$log" 2>&1 || { tail -n 30 "$log" >&2; die "Citus build failed, see $log"; }
  citus_installed || die "Citus was installed but $(citus_so) is not version $CITUS_VERSION"
  log "Citus $CITUS_VERSION installed into $("$PGBIN/pg_config" --pkglibdir) in $((SECONDS - t0)) s"
}

# Citus 13.2.2's src/include/pg_version_compat.h defines have_createdb_privilege() as a static inline
# fallback for PostgreSQL 15, whose older minor releases kept that function static in dbcommands.c.
# PostgreSQL 15.20's commands/dbcommands.h declares it extern, and a static definition after an extern
# declaration does not compile. When the server header declares it, the extracted copy (never the
# tarball) gets the fallback replaced by the same extern declaration, so the server's function is used.
citus_patch_for_server_headers() { # SOURCE_DIR
  local header; header="$("$PGBIN/pg_config" --includedir-server)/commands/dbcommands.h"
  grep -q 'have_createdb_privilege' "$header" 2>/dev/null || return 0
  local compat=$1/src/include/pg_version_compat.h
  grep -q '^have_createdb_privilege(void)' "$compat" || return 0
  log "PostgreSQL's $header declares have_createdb_privilege(): dropping Citus' static fallback (build copy only)"
  perl -0pi -e 's/static inline bool\s*\nhave_createdb_privilege\(void\)\s*\n\{.*?\n\}\n/extern bool have_createdb_privilege(void); \/* socnet: declared by the server (commands\/dbcommands.h) *\/\n/s' "$compat"
  ! grep -q '^have_createdb_privilege(void)' "$compat" || die "could not patch $compat for have_createdb_privilege"
}
