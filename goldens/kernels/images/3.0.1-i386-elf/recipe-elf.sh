#!/bin/sh
# Rebuilds the 3.0.1-i386-elf catalog kernel (3.0.1-i386's config plus CONFIG_BINFMT_ELF, so the
# state probe's /init can run: qemu-scripts/initramfs/mini-init.ts) from eastmoutain/Linux-3.0.1 at
# 3992f4b1cf29c7dcdb494d9cfcad7ed3175e40a5 (tree in linux-3.0.1/): the 3.0.1-i386 recipe, unchanged,
# given this folder's config.
# usage: sh recipe-elf.sh <linux-3.0.1 tree> <config> <out dir>
set -eu
exec sh "$(dirname "$0")/../3.0.1-i386/recipe.sh" "$@"
