#!/bin/sh
# Installs praxis-mcp from a GitHub release, for Linux and macOS users without Homebrew.
#
#   curl -fsSL https://github.com/praxis-os/praxis-mcp/releases/latest/download/install.sh | sh
#   sh install.sh [--prefix DIR] [--version X.Y.Z]
#
# Detects the OS and CPU, downloads the matching binary and SHA256SUMS, verifies the checksum and
# installs the binary as DIR/bin/praxis-mcp (default DIR: $HOME/.local). Refuses to install when
# the checksum does not match. Environment (flags win):
#   PRAXIS_MCP_PREFIX    install prefix
#   PRAXIS_MCP_VERSION   release version (default: the latest release)
#   PRAXIS_MCP_REPO      GitHub repository (default: praxis-os/praxis-mcp)
#   PRAXIS_MCP_BASE_URL  where the release files are (overrides repo and version; http(s):// or file://)
set -eu

repo="${PRAXIS_MCP_REPO:-praxis-os/praxis-mcp}"
prefix="${PRAXIS_MCP_PREFIX:-${HOME}/.local}"
version="${PRAXIS_MCP_VERSION:-latest}"
base_url="${PRAXIS_MCP_BASE_URL:-}"

say() { printf 'praxis-mcp install: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || die "--prefix needs a directory"; prefix="$2"; shift 2 ;;
    --prefix=*) prefix="${1#--prefix=}"; shift ;;
    --version) [ $# -ge 2 ] || die "--version needs a version"; version="${2#v}"; shift 2 ;;
    --version=*) version="${1#--version=}"; version="${version#v}"; shift ;;
    -h|--help) sed -n '2,13p' "$0" 2>/dev/null | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (try --help)" ;;
  esac
done

if [ -z "$base_url" ]; then
  if [ "$version" = latest ]; then
    base_url="https://github.com/${repo}/releases/latest/download"
  else
    base_url="https://github.com/${repo}/releases/download/v${version}"
  fi
fi

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) die "unsupported OS $(uname -s): release binaries exist for Linux and macOS (Windows: download praxis-mcp-windows-x64.exe from the release)" ;;
esac
case "$(uname -m)" in
  x86_64|amd64) arch=x64 ;;
  arm64|aarch64) arch=arm64 ;;
  *) die "unsupported CPU $(uname -m): release binaries exist for x86_64 and arm64" ;;
esac
# A shell under Rosetta reports x86_64 on Apple silicon; the native binary is the better choice.
if [ "$os" = darwin ] && [ "$arch" = x64 ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || true)" = 1 ]; then
  arch=arm64
fi
asset="praxis-mcp-${os}-${arch}"

download() { # url file
  if command -v curl >/dev/null 2>&1; then
    curl --fail --silent --show-error --location --output "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget --quiet --output-document="$2" "$1"
  else
    die "neither curl nor wget is installed"
  fi
}

sha256_of() { # file
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then shasum -a 256 "$1" | cut -d' ' -f1
  elif command -v openssl >/dev/null 2>&1; then openssl dgst -sha256 "$1" | sed 's/^.*= *//'
  else die "no SHA-256 tool found (sha256sum, shasum or openssl)"
  fi
}

tmp="$(mktemp -d 2>/dev/null || mktemp -d -t praxis-mcp)"
trap 'rm -rf "$tmp"' EXIT INT TERM

say "downloading ${asset} from ${base_url}"
download "${base_url}/SHA256SUMS" "$tmp/SHA256SUMS" || die "cannot download ${base_url}/SHA256SUMS"
download "${base_url}/${asset}" "$tmp/${asset}" || die "cannot download ${base_url}/${asset}"

expected="$(awk -v f="$asset" '$2 == f || $2 == "*" f { print $1; exit }' "$tmp/SHA256SUMS")"
[ -n "$expected" ] || die "SHA256SUMS has no line for ${asset}; not installing"
actual="$(sha256_of "$tmp/${asset}")"
if [ "$expected" != "$actual" ]; then
  die "checksum mismatch for ${asset}: expected ${expected}, got ${actual}; not installing"
fi

bindir="${prefix}/bin"
mkdir -p "$bindir"
chmod 755 "$tmp/${asset}"
# Copy next to the target, then rename: a running praxis-mcp keeps its old file, and no one ever
# sees a half-copied binary.
cp "$tmp/${asset}" "$bindir/.praxis-mcp.$$.tmp"
mv -f "$bindir/.praxis-mcp.$$.tmp" "$bindir/praxis-mcp"
installed="$("$bindir/praxis-mcp" --version 2>/dev/null || true)"
say "installed praxis-mcp ${installed:-?} to ${bindir}/praxis-mcp (sha256 ${actual})"

case ":${PATH}:" in
  *":${bindir}:"*) ;;
  *) say "${bindir} is not on your PATH; add it, e.g.: export PATH=\"${bindir}:\$PATH\"" ;;
esac
say "next: cd into your project, then run: praxis-mcp init && praxis-mcp config <editor> --write"
