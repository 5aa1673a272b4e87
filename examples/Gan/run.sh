#!/usr/bin/env bash
# Runs the GAN example end to end (the data is synthetic: nothing to download). Arguments go to the
# example (see --help).
set -euo pipefail
cd "$(dirname "$0")/../.."

# A small GC gen0 budget keeps the working set flat over long runs (see README, Performance).
export DOTNET_GCgen0size="${DOTNET_GCgen0size:-0x400000}"
exec dotnet run -c Release --project examples/Gan -- "$@"
