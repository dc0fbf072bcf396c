#!/usr/bin/env bash
# Runs every test. On a fresh Debian machine it first installs, as root and only where missing, the real
# servers the tests start on 127.0.0.1: PostgreSQL, dnsmasq, dig to compare DNS answers with, an SMTP server
# (aiosmtpd), openssl for the certificates of test servers, the parsers the feeds are checked with, and ip and
# nft for test hosts in network namespaces with real packet loss, Chromium for the browser tests, nginx to serve the
# exported status page and for the benchmarks' smoke run, wrk for that run, and npm, with which the browser tests
# install axe-core under artifacts/ on first use.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing+=(postgresql)
command -v dnsmasq >/dev/null || [ -x /usr/sbin/dnsmasq ] || missing+=(dnsmasq)
command -v dig >/dev/null || missing+=(bind9-dnsutils)
# Debian's own python3: aiosmtpd and the feed and calendar parsers are not importable under another python3.
for module in aiosmtpd feedparser icalendar; do
  /usr/bin/python3 -c "import $module" 2>/dev/null || missing+=("python3-$module")
done
command -v openssl >/dev/null || missing+=(openssl)
command -v ip >/dev/null || [ -x /usr/sbin/ip ] || missing+=(iproute2)
command -v nft >/dev/null || [ -x /usr/sbin/nft ] || missing+=(nftables)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v wrk >/dev/null || missing+=(wrk)
command -v npm >/dev/null || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "test.sh: the tests need ${missing[*]}; run as root to install them, or install them yourself." >&2
    exit 1
  fi
  echo "test.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test Candor.slnx --nologo 2>&1 | tee "$log" || status=$?

# One line any CI can read, taken from the test runner's own summary.
summary=$(grep -E '(Passed|Failed)!? +- +Failed: ' "$log" | tail -n 1 || true)
if [ -z "$summary" ]; then
  echo "test.sh: the test run produced no summary" >&2
  exit $((status == 0 ? 1 : status))
fi
count() { sed -E "s/.*$1: *([0-9]+).*/\1/" <<<"$summary"; }
echo "$(count Passed) passed, $(count Failed) failed, $(count Skipped) skipped"
exit "$status"
