#!/usr/bin/env bash
# Install the Debian/Ubuntu packages PAR INDEX needs outside Python, and only those missing.
#
#   scripts/system-deps.sh [--browser] [--python PATH]
#
# Always: Pango/HarfBuzz (WeasyPrint renders the PDF reports), fonts with Vietnamese glyphs,
# gettext (compilemessages), poppler-utils (the tests read PDFs back), postgresql-client (pg_dump and
# pg_restore for `manage.py backup`/`restore`), and the venv module of PATH (Debian ships it separately).
# --browser: also Chromium, for the browser tests (tests/browser).
#
# As root it installs with apt-get; otherwise with `sudo -n` when that works without a
# password; otherwise it prints ONE line naming what is missing and exits 0, so that
# `make` can go on as far as it can.
set -euo pipefail

browser=0
python=""
while [ $# -gt 0 ]; do
    case "$1" in
        --browser) browser=1 ;;
        --python) python="$2"; shift ;;
        *) echo "system-deps: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

missing=()

# Read each listing once into a variable: `ldconfig -p | grep -q` under pipefail fails at random,
# when grep exits on the first match and ldconfig dies of SIGPIPE.
libraries=$( (ldconfig -p || /sbin/ldconfig -p) 2>/dev/null || true)
fonts=$(fc-list 2>/dev/null || true)
has_lib() { [[ "$libraries" == *"$1"* ]]; }
has_font() { [[ "$fonts" == *"$1"* ]]; }
has_pkg() { dpkg -s "$1" >/dev/null 2>&1; }

has_lib 'libpango-1.0.so.0' || missing+=(libpango-1.0-0)
has_lib 'libpangoft2-1.0.so.0' || missing+=(libpangoft2-1.0-0)
has_lib 'libharfbuzz.so.0' || missing+=(libharfbuzz0b)
# WeasyPrint embeds only the glyphs it uses, through HarfBuzz's subsetter.
has_lib 'libharfbuzz-subset.so.0' || missing+=(libharfbuzz-subset0)
command -v fc-list >/dev/null || missing+=(fontconfig)
# DejaVu and Noto both cover Vietnamese (ă, ơ, ư, đ and stacked tone marks).
has_font 'DejaVuSans.ttf' || has_pkg fonts-dejavu-core || missing+=(fonts-dejavu-core)
has_font 'NotoSans-Regular' || has_pkg fonts-noto-core || missing+=(fonts-noto-core)
command -v msgfmt >/dev/null || missing+=(gettext)
# The tests read the rendered PDFs back: pdftotext for their text, pdftoppm for their pages.
command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null || missing+=(poppler-utils)
# `manage.py backup` and `restore` on PostgreSQL, and their integration test.
command -v pg_dump >/dev/null && command -v pg_restore >/dev/null || missing+=(postgresql-client)

if [ -n "$python" ] && ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    version=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    missing+=("python${version}-venv")
fi

if [ "$browser" = 1 ] && [ ! -x /usr/bin/chromium ]; then
    # Debian's package; the browser tests point Playwright at /usr/bin/chromium.
    missing+=(chromium)
fi

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" = 0 ]; then
    sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
else
    echo "system-deps: missing ${missing[*]} — install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 0
fi

if ! command -v apt-get >/dev/null; then
    echo "system-deps: missing ${missing[*]} — no apt-get here; install the equivalents with your package manager" >&2
    exit 0
fi

echo "system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
