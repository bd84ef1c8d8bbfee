#!/usr/bin/env bash
# Install the Debian packages the engine and its tests need. Idempotent: a second run
# checks each package and installs nothing when all are present.
set -euo pipefail

packages=(
  fonts-noto-cjk        # the CJK font every rendered form uses
  fonts-arphic-ukai     # brush-script font, the stand-in for handwriting in paper tests
  poppler-utils         # pdftotext and pdftoppm, to check and look at rendered PDFs
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0  # WeasyPrint; subsetting is 30x slower without hb-subset
  pdftk-java            # a PDF form filler that is not ours, for round-trip tests
  libgl1 libglib2.0-0   # opencv-python (the scan reader) loads these at import
)
# 25.2 keeps content controls; bookworm's 7.4 destroys them. Calc opens the XLSX
# tables in the tests, as a clerk's spreadsheet program would.
backports=(libreoffice-writer-nogui libreoffice-calc-nogui python3-uno)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
need_lo=0
if ! command -v soffice >/dev/null || ! soffice --version 2>/dev/null | grep -qE "LibreOffice (2[5-9]|[3-9][0-9])\."; then
  need_lo=1
fi
for p in "${backports[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need_lo=1
done
if [ ${#missing[@]} -eq 0 ] && [ $need_lo -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]} ${need_lo:+libreoffice 25.2}. Run this script as root." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if [ $need_lo -eq 1 ] && ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  # Use the same mirror the machine already uses for bookworm.
  mirror=$( { grep -rhE "^(URIs:|deb )" /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null || true; } \
    | grep -oE "https?://[^ ]+/debian/?( |$)" | grep -v security | head -n1 | tr -d ' ')
  mirror=${mirror:-http://deb.debian.org/debian}
  printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$mirror" > /etc/apt/sources.list.d/bookworm-backports.sources
fi
apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if [ $need_lo -eq 1 ]; then
  apt-get install -y -qq --no-install-recommends -t bookworm-backports "${backports[@]}"
fi
