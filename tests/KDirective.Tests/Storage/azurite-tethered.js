// Runs Azurite (pinned in package.json) as a child and ends it when the process that asked for it is gone, even
// when that process was killed outright and could not clean up: a test host that Stryker.NET or a CI timeout kills
// must not leave an emulator behind.
//
//   node azurite-tethered.js <parent pid> <azurite arguments...>
"use strict";
const { spawn } = require("node:child_process");
const path = require("node:path");

const [parentArg, ...args] = process.argv.slice(2);
const parent = Number(parentArg);
if (!Number.isInteger(parent) || parent <= 0) {
  console.error(`azurite-tethered: the first argument must be the parent's process id, not '${parentArg}'`);
  process.exit(64);
}

const azurite = path.join(__dirname, "..", "..", "..", "node_modules", "azurite", "dist", "src", "azurite.js");
const child = spawn(process.execPath, [azurite, ...args], { stdio: "inherit" });

function stop(code) {
  child.kill("SIGKILL");
  process.exit(code);
}

child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) {
  process.on(signal, () => stop(0));
}

function parentAlive() {
  try {
    process.kill(parent, 0); // signal 0 only asks whether the process exists
    return true;
  } catch (error) {
    return error.code === "EPERM"; // it exists, it just is not ours to signal
  }
}

setInterval(() => {
  if (!parentAlive()) {
    stop(0);
  }
}, 250);
