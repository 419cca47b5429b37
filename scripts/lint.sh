#!/bin/sh
# swift format lint in strict mode over every Swift source of the project.
set -eu
cd "$(dirname "$0")/.."
swift format lint --strict --parallel --recursive Sources Tests Plugins Package.swift
