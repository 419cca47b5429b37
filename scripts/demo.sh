#!/bin/sh
# placeholder: demo lands with its issue.
echo "demo: not yet"
