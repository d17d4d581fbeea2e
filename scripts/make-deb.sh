#!/usr/bin/env bash
# make deb: a Debian package of smart-ipamd and smart-ipam, built here (release, Swift runtime
# linked statically so the package needs only Debian's own libraries):
#   /usr/sbin/smart-ipamd, /usr/bin/smart-ipam, the systemd unit, sysusers and tmpfiles
#   snippets, the commented configuration in /etc/smart-ipam (a conffile), man pages
#   smart-ipamd(8), smart-ipam(1), smart-ipam.yaml(5), bash/zsh/fish completions, contrib/.
# Writes dist/smart-ipam_VERSION_ARCH.deb and prints its path.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=.build-deb
# Linked anew each time: a binary left by another kind of build would not be static.
rm -f "$scratch/release/smart-ipamd" "$scratch/release/smart-ipam"
swift build -c release --static-swift-stdlib --scratch-path "$scratch" --product smart-ipamd
# The CLI's --api client is Foundation's URLSession: statically linked, it links libcurl
# (libcurl4-openssl-dev, installed by make deps), which the package then depends on.
swift build -c release --static-swift-stdlib --scratch-path "$scratch" --product smart-ipam
bin="$scratch/release"
version=$("$bin/smart-ipam" --version)
arch=$(dpkg --print-architecture)
root="$scratch/deb/smart-ipam_${version}_$arch"
rm -rf "$root" && mkdir -p "$root/DEBIAN"

install -D -m 0755 "$bin/smart-ipamd" "$root/usr/sbin/smart-ipamd"
install -D -m 0755 "$bin/smart-ipam" "$root/usr/bin/smart-ipam"
strip --strip-unneeded "$root/usr/sbin/smart-ipamd" "$root/usr/bin/smart-ipam"
install -D -m 0644 packaging/smart-ipamd.service "$root/lib/systemd/system/smart-ipamd.service"
install -D -m 0644 packaging/smart-ipam.sysusers "$root/usr/lib/sysusers.d/smart-ipam.conf"
install -D -m 0644 packaging/smart-ipam.tmpfiles "$root/usr/lib/tmpfiles.d/smart-ipam.conf"
install -D -m 0640 config/smart-ipam.yaml "$root/etc/smart-ipam/smart-ipam.yaml"

# Man pages: the two commands' from their --help (swift-argument-parser's generate-manual),
# the configuration's written by hand.
man=$(mktemp -d)
trap 'rm -rf "$man"' EXIT
# (in the ordinary build folder: the plugin builds the products its own way)
swift package --allow-writing-to-directory "$man" generate-manual --output-directory "$man" \
  --authors "The Smart IPAM developers" >/dev/null
sed -e 's/^\.Dt SMART-IPAMD 1$/.Dt SMART-IPAMD 8/' -e '/^\.Ar subcommand$/d' "$man/smart-ipamd.1" > "$man/smart-ipamd.8"
install -d "$root/usr/share/man/man1" "$root/usr/share/man/man5" "$root/usr/share/man/man8"
gzip -9n < "$man/smart-ipam.1" > "$root/usr/share/man/man1/smart-ipam.1.gz"
gzip -9n < "$man/smart-ipamd.8" > "$root/usr/share/man/man8/smart-ipamd.8.gz"
gzip -9n < packaging/man/smart-ipam.yaml.5 > "$root/usr/share/man/man5/smart-ipam.yaml.5.gz"

"$bin/smart-ipam" --generate-completion-script bash | install -D -m 0644 /dev/stdin "$root/usr/share/bash-completion/completions/smart-ipam"
"$bin/smart-ipam" --generate-completion-script zsh | install -D -m 0644 /dev/stdin "$root/usr/share/zsh/vendor-completions/_smart-ipam"
"$bin/smart-ipam" --generate-completion-script fish | install -D -m 0644 /dev/stdin "$root/usr/share/fish/vendor_completions.d/smart-ipam.fish"

doc="$root/usr/share/doc/smart-ipam"
install -D -m 0644 README.md "$doc/README.md"
cp -r contrib "$doc/contrib" && find "$doc/contrib" -type f -exec chmod 0644 {} +
printf 'Smart IPAM %s\nCopyright the Smart IPAM developers.\n' "$version" > "$doc/copyright"

# Depends: the packages that hold the libraries the binaries load (what dpkg-shlibdeps does
# from a source package).
owner() {  # the package holding a library; dpkg knows merged-/usr files under /lib or /usr/lib
  local lib=$1
  dpkg -S "$lib" 2>/dev/null || dpkg -S "${lib#/usr}" 2>/dev/null || dpkg -S "/usr$lib" 2>/dev/null || true
}
direct_libraries() {  # the libraries a binary names itself (NEEDED), as ldd finds them
  local binary=$1 name
  for name in $(objdump -p "$binary" | awk '$1 == "NEEDED" { print $2 }'); do
    ldd "$binary" | awk -v n="$name" '$1 == n && $3 ~ /^\// { print $3 }'
  done
}
depends=$(for b in "$root/usr/sbin/smart-ipamd" "$root/usr/bin/smart-ipam"; do direct_libraries "$b"; done | sort -u \
  | while read -r lib; do owner "$lib"; owner "$(realpath "$lib")"; done | cut -d: -f1 | sort -u | paste -sd, | sed 's/,/, /g')
[[ -n $depends ]] || { echo "make deb: could not find the packages of the libraries the binaries load" >&2; exit 1; }
# smart-ipam --api loads libcurl with dlopen (so that no other command pays for it at start-up):
# no NEEDED entry names it.
depends+=", libcurl4"
cat > "$root/DEBIAN/control" <<CONTROL
Package: smart-ipam
Version: $version
Architecture: $arch
Maintainer: The Smart IPAM developers <smart-ipam@localhost>
Section: net
Priority: optional
Depends: $depends
Recommends: isc-dhcp-server, bind9
Installed-Size: $(du -sk "$root" | cut -f1)
Description: IP address management beside ISC dhcpd and BIND
 smart-ipamd follows dhcpd's lease files, keeps an IP inventory in SQLite (subnets,
 addresses, allocation, utilization, conflicts, audit), writes dhcpd host reservations,
 pushes A/AAAA/PTR records to BIND with TSIG-signed RFC 2136 updates owned per RFC 4703,
 reports to systemd and journald, and serves a REST API. smart-ipam administers it.
CONTROL
echo "/etc/smart-ipam/smart-ipam.yaml" > "$root/DEBIAN/conffiles"
install -m 0755 packaging/debian/postinst packaging/debian/prerm packaging/debian/postrm "$root/DEBIAN/"
mkdir -p dist
dpkg-deb --root-owner-group --build "$root" "dist/smart-ipam_${version}_$arch.deb" >/dev/null
echo "dist/smart-ipam_${version}_$arch.deb"
