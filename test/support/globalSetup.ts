// Starts the shared test Postgres once per test run (filled in by the db layer).
export default async function setup(): Promise<void | (() => Promise<void>)> {}
