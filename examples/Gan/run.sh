#!/usr/bin/env bash
# Runs the GAN example end to end (the data is synthetic: nothing to download). Arguments go to the
# example (see --help).
set -euo pipefail
cd "$(dirname "$0")/../.."

exec dotnet run -c Release --project examples/Gan -- "$@"
