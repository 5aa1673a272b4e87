#!/usr/bin/env bash
# Runs the Fashion-MNIST example end to end: installs the dataset package if it is missing
# (Debian/Ubuntu), then trains and validates. Arguments go to the example (see --help).
set -euo pipefail
cd "$(dirname "$0")/../.."

data=/usr/share/datasets/fashion-mnist
if [ ! -f "$data/train-images-idx3-ubyte.gz" ] && ! printf '%s\n' "$@" | grep -q -- '^--data'; then
  echo "Fashion-MNIST is not installed; installing Debian's dataset-fashion-mnist package ..."
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq dataset-fashion-mnist
  else sudo apt-get update -qq && sudo apt-get install -y -qq dataset-fashion-mnist; fi
fi

exec dotnet run -c Release --project examples/FashionMnist -- "$@"
