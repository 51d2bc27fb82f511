#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, if they are missing:
# PostgreSQL server binaries (throwaway test cluster), Chromium (PDF and browser tests),
# poppler-utils (pdftotext/pdfimages in PDF tests) and DejaVu fonts (real fonts in PDFs).
# Idempotent: does nothing (and no network) when everything is present.
set -euo pipefail

missing=()

# PostgreSQL server binaries live in /usr/lib/postgresql/<version>/bin, not on PATH.
if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
  missing+=(postgresql)
fi
if [[ ! -x /usr/bin/chromium ]]; then
  missing+=(chromium)
fi
if ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdfimages >/dev/null 2>&1 \
  || ! command -v pdftoppm >/dev/null 2>&1; then
  missing+=(poppler-utils)
fi
if [[ ! -d /usr/share/fonts/truetype/dejavu ]]; then
  missing+=(fonts-dejavu-core)
fi

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "error: missing system packages: ${missing[*]}" >&2
  echo "install them as root with:" >&2
  echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: missing system packages (${missing[*]}) and apt-get is not available;" >&2
  echo "install the equivalents of these Debian packages by hand." >&2
  exit 1
fi

echo "==> installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if ! apt-get update -qq >"$log" 2>&1; then
  cat "$log" >&2
  echo "error: 'apt-get update' failed; cannot install ${missing[*]}" >&2
  rm -f "$log"
  exit 1
fi
# The postgresql package would create and start a default cluster on 5432; the tests never use it
# (they start their own cluster on a free port), so it does no harm.
if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
  cat "$log" >&2
  echo "error: 'apt-get install ${missing[*]}' failed (see the output above)" >&2
  rm -f "$log"
  exit 1
fi
rm -f "$log"
echo "==> installed: ${missing[*]}"
