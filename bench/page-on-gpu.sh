#!/usr/bin/env bash
# The built site in Chromium on a GPU machine that has neither a browser nor a network: packs
# Debian's chromium-headless-shell with the files and shared libraries it loads, then on the
# GPU machine unpacks it and runs bench/page-on-gpu.mjs (blr bench and the page on the same
# points, compared).
#
# Here, on Debian 12 with npm ci, npm run build and npm run build:cli done:
#   bash bench/page-on-gpu.sh pack [DIR]        # DIR (default .page): browser.tar.xz.part-aa, -ab, …, playwright-core.tar.xz, fonts/
# The browser comes to about 72 MiB under xz -9e, more than a machine that accepts at most
# 64 MiB per upload takes at once: the parts (PART_SIZE, default 28 MiB) can travel in
# separate uploads, e.g. with the first run's work, collected under /tmp on the machine.
# There, from the project root, with node on PATH, the `webgpu` package in node_modules and
# NVIDIA's Vulkan driver named by VK_DRIVER_FILES:
#   bash bench/page-on-gpu.sh run OUTDIR [PARTS_DIR…] [-- page-on-gpu.mjs options]
# joins every browser.tar.xz.part-* found in the PARTS_DIRs (default .page), unpacks it under
# /tmp/page-browser and writes OUTDIR/bench.json (blr bench), OUTDIR/page.json (the page's
# figures beside bench's, within 10 %), page.log and page.png. A second run into the same
# OUTDIR compares with the same bench.json: NAME=quantised … -- --quantised writes quantised.*.
set -euo pipefail
cmd=${1:?pack or run}
shift
case $cmd in
  pack)
    dir=${1:-.page}
    mkdir -p "$dir"
    work=$(mktemp -d)
    lists=$(mktemp -d); mkdir -p "$lists/partial"
    o="-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=$lists"
    apt-get $o update -qq > /dev/null
    (cd "$work" && apt-get $o download -qq chromium-headless-shell chromium-common 2> /dev/null)
    for deb in "$work"/*.deb; do dpkg -x "$deb" "$work/root"; done
    b=$work/browser
    mkdir -p "$b/lib"
    lib=$work/root/usr/lib/chromium
    cp "$lib"/chromium-headless-shell "$lib"/headless_*.pak "$lib"/icudtl.dat "$lib"/*snapshot*.bin "$lib"/libEGL.so "$lib"/libGLESv2.so "$lib"/libvulkan.so.1 "$b/"
    # every shared library it links (glibc aside, which the machine has), and NSS's modules, which it opens later
    LD_LIBRARY_PATH=$lib ldd "$b/chromium-headless-shell" | awk '$3 ~ /^\// { print $3 }' |
      grep -v -E '/(libc|libm|libdl|libpthread|librt)\.so' | xargs -I{} cp -L {} "$b/lib/"
    for l in libsoftokn3.so libfreeblpriv3.so libfreebl3.so libnssckbi.so libnssdbm3.so; do
      [ -e "/usr/lib/x86_64-linux-gnu/$l" ] && cp -L "/usr/lib/x86_64-linux-gnu/$l" "$b/lib/"
    done
    missing=$(LD_LIBRARY_PATH=$b/lib ldd "$b/chromium-headless-shell" | grep 'not found' || true)
    [ -z "$missing" ] || { echo "libraries not found here (apt-get install chromium first): $missing" >&2; exit 1; }
    rm -f "$dir"/browser.tar.xz.part-*
    tar cf - -C "$work" browser | xz -9e -T0 | split -b "${PART_SIZE:-28M}" - "$dir/browser.tar.xz.part-"
    tar cJf "$dir/playwright-core.tar.xz" -C node_modules playwright-core
    # one font and a fontconfig file naming it: without them the renderer stops (Skia's fontconfig port)
    mkdir -p "$dir/fonts"
    cp -L "$(fc-match -f '%{file}' sans)" "$dir/fonts/"
    printf '<?xml version="1.0"?>\n<fontconfig><dir>/tmp/page-fonts</dir><cachedir>/tmp/page-fonts/cache</cachedir></fontconfig>\n' > "$dir/fonts/fonts.conf"
    rm -rf "$work" "$lists"
    ls -l "$dir"
    ;;
  run)
    out=${1:?OUTDIR}
    shift
    dirs=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do dirs+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    [ ${#dirs[@]} -gt 0 ] || dirs=(.page)
    mkdir -p "$out"
    if [ ! -x /tmp/page-browser/browser/chromium-headless-shell ]; then
      mkdir -p /tmp/page-browser
      parts=$(for d in "${dirs[@]}"; do ls "$d"/browser.tar.xz.part-* 2> /dev/null; done | sort -t- -k3)
      cat $parts | xz -dc | tar xf - -C /tmp/page-browser
    fi
    # the machine's own copy of a library comes first: a driver loaded into the browser may need
    # a newer one than Debian's
    b=/tmp/page-browser/browser
    mkdir -p "$b/shadowed"
    for f in "$b"/lib/*; do
      n=$(basename "$f")
      if [ -e "/usr/lib/x86_64-linux-gnu/$n" ] || [ -e "/lib/x86_64-linux-gnu/$n" ]; then mv "$f" "$b/shadowed/"; fi
    done
    for d in "${dirs[@]}"; do
      if [ -f "$d/playwright-core.tar.xz" ] && [ ! -d node_modules/playwright-core ]; then
        mkdir -p node_modules && tar xJf "$d/playwright-core.tar.xz" -C node_modules
      fi
      if [ -f "$d/fonts/fonts.conf" ]; then mkdir -p /tmp/page-fonts && cp "$d"/fonts/* /tmp/page-fonts/; fi
    done
    export FONTCONFIG_FILE=/tmp/page-fonts/fonts.conf
    export CHROMIUM=/tmp/page-browser/browser/chromium-headless-shell
    export LD_LIBRARY_PATH=/tmp/page-browser/browser/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
    # blr bench once; a second run (NAME=…, e.g. with --quantised) compares with the same figures
    name=${NAME:-page}
    if [ -f "$out/bench.json" ]; then against=(--feed "$out/bench.json"); else against=(--bench "$out/bench.json"); fi
    status=0
    node bench/page-on-gpu.mjs "${against[@]}" --out "$out/$name.json" --screenshot "$out/$name.png" "$@" 2> "$out/$name.log" || status=$?
    tail -n 30 "$out/$name.log"
    exit $status
    ;;
  *) echo "pack or run" >&2; exit 2 ;;
esac
