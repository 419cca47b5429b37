#!/bin/sh
# placeholder: fuzz lands with its issue.
echo "fuzz: not yet"
