#!/usr/bin/env bash
# Builds a release and lays out a Linux install tree, then packs it:
#   dist/package.sh            → target/package/rpdesk-<version>-linux-<arch>.tar.gz
# The tree follows the XDG layout (bin/, share/applications, share/icons, share/metainfo),
# so `tar -C ~/.local -xzf …` installs it for one user.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
arch=$(uname -m)
cargo build --release --locked
root=target/package/rpdesk-$version
rm -rf "$root"
install -Dm755 target/release/rpdesk "$root/bin/rpdesk"
install -Dm644 dist/rpdesk.desktop "$root/share/applications/rpdesk.desktop"
install -Dm644 assets/icon.png "$root/share/icons/hicolor/256x256/apps/rpdesk.png"
install -Dm644 dist/dev.rpdesk.Rpdesk.metainfo.xml "$root/share/metainfo/dev.rpdesk.Rpdesk.metainfo.xml"
install -Dm644 README.md "$root/share/doc/rpdesk/README.md"
tar -C "$root" -czf "target/package/rpdesk-$version-linux-$arch.tar.gz" .
echo "target/package/rpdesk-$version-linux-$arch.tar.gz"
