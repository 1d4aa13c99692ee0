// `kyozo <command>`: serve (default) and analyze. Heavy modules load only for the command that needs them.
const [command = 'serve', ...argv] = process.argv.slice(2);

async function main(): Promise<number> {
  switch (command) {
    case 'serve': {
      const { startKyozo } = await import('./main.ts');
      const kyozo = await startKyozo();
      const stop = async () => {
        await kyozo.stop();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return -1; // keep running
    }
    case 'analyze': {
      const { runAnalyze } = await import('./cli/analyze.ts');
      return runAnalyze(argv);
    }
    case 'help':
    case '--help':
    case '-h':
      console.log('usage: kyozo [serve]            start Kyozo (console, API, git, proxy)\n       kyozo analyze [DIR] [--json]  show the services Kyozo finds in a folder');
      return 0;
    default:
      console.error(`kyozo: unknown command "${command}" (try: kyozo help)`);
      return 2;
  }
}

main().then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: Error) => {
    console.error(`kyozo: ${err.message}`);
    process.exit(1);
  },
);
