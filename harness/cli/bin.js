#!/usr/bin/env node
// The CLI's entry before it became CommonJS (harness/cli/bin.cjs, package.json "bin"). Kept for one
// reason: npx links a project's own bin into its cache (~/.npm/_npx/<hash>/node_modules/.bin) once,
// and does not relink it when package.json changes, so a checkout that ran `npx bootsim` before the
// move still starts this path. It runs the same entry.
import './bin.cjs';
