#!/bin/sh
# Stands in for Prisma's native schema engine, which cannot be downloaded here.
# `prisma generate` only checks that this file exists; everything that needs the real
# engine (migrations, diffs) goes through the WebAssembly engine in scripts/schema-engine.ts.
echo "Keyport runs Prisma's schema engine as WebAssembly: use npm run db:migrate or npm run db:migration." >&2
exit 1
