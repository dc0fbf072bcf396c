#!/usr/bin/env bash
# Builds Candor and its benchmarks in Release and runs every benchmark on 127.0.0.1, printing one row per figure
# and writing bench/RESULTS.md (see bench/README.md). Arguments go to the suite: --smoke, --only B1,B4,
# --b1-load 0.65, --b1-store sqlite|postgresql, --out FILE, --no-out. As root on a fresh Debian machine it
# first installs, where missing, the peers the benchmarks start and stop: nginx, PostgreSQL, aiosmtpd and wrk.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing+=(postgresql)
# Debian's own python3: aiosmtpd is not importable under another python3 earlier on PATH.
/usr/bin/python3 -c "import aiosmtpd" 2>/dev/null || missing+=(python3-aiosmtpd)
command -v wrk >/dev/null || missing+=(wrk)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "bench/run.sh: the benchmarks need ${missing[*]}; run as root to install them, or install them yourself." >&2
    exit 1
  fi
  echo "bench/run.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

dotnet build bench/Candor.Bench -c Release --nologo -v quiet
# Candor runs as it is installed on a server (README): published, its code compiled ahead of time.
dotnet publish src/Candor -c Release --nologo -v quiet -o artifacts/publish/Candor/bench
exec dotnet artifacts/bin/Candor.Bench/release/Candor.Bench.dll --candor artifacts/publish/Candor/bench/candor.dll "$@"
